// usdt_site.h: a function with a USDT probe in it, for the usdt example.
#ifndef USDT_SITE_H
#define USDT_SITE_H

/// Fires the probe `swiftbpf_example:tick` with two arguments: `counter`
/// (8 bytes, in a register) and `value` (4 bytes, in memory).
void usdt_site_tick(long counter, int value);

#endif
