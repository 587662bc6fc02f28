"""Unit conversions, as named constants.

Only definitions live here (a kilowatt is a thousand watts, a year of
continuous operation is 365 x 24 hours). Sourced numbers never do: they are
parameters in data/parameters/, with their claim or source.
"""

# Time
HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0
HOURS_PER_YEAR = HOURS_PER_DAY * DAYS_PER_YEAR  # 8,760 h: a non-leap year of continuous operation
SECONDS_PER_HOUR = 3600.0

# Power and energy
W_PER_KW = 1e3
KW_PER_MW = 1e3
MW_PER_GW = 1e3
KWH_PER_MWH = 1e3
MWH_PER_GWH = 1e3
GWH_PER_TWH = 1e3
KWH_PER_GWH = KWH_PER_MWH * MWH_PER_GWH

# Compute
FLOPS_PER_TFLOPS = 1e12
FLOPS_PER_PFLOPS = 1e15
FLOPS_PER_EFLOPS = 1e18

# Money (the same scale factors serve RMB and USD)
RMB_PER_BN = 1e9
USD_PER_BN = 1e9
USD_PER_M = 1e6
M_PER_BN = 1e3
BN_PER_TN = 1e3

# Mass
KG_PER_T = 1e3
T_PER_MT = 1e6
