/*
 * samples.h: the values targets/target_X.c initialise their `sample_value`
 * bitfields with (built with -DSAMPLE into .data, dumped to samples/).
 * The oracle prints them as bf_* keys.
 */
#define SAMPLE_FLAGS 5          /* unsigned, 3 bits */
#define SAMPLE_LEVEL (-7)       /* signed, 5 bits (or wider in a target) */
#define SAMPLE_WIDE 0x9876543210ULL /* unsigned, 40 bits */
