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
KWH_PER_MWH = 1e3
MWH_PER_GWH = 1e3
KWH_PER_GWH = KWH_PER_MWH * MWH_PER_GWH

# Compute
FLOPS_PER_TFLOPS = 1e12
FLOPS_PER_EFLOPS = 1e18

# Money (the same scale factors serve RMB and USD)
RMB_PER_BN = 1e9
USD_PER_BN = 1e9
M_PER_BN = 1e3
BN_PER_TN = 1e3

# Mass
KG_PER_T = 1e3
T_PER_MT = 1e6

# Energy and mass at small scale (per query, per token)
WH_PER_KWH = 1e3
G_PER_KG = 1e3

# Tokens, model size and calendar (token economics)
SECONDS_PER_DAY = HOURS_PER_DAY * SECONDS_PER_HOUR  # 86,400 s
MONTHS_PER_YEAR = 12.0
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR  # 30.42 d: the average month of a non-leap year
TOKENS_PER_K = 1e3
TOKENS_PER_M = 1e6
TOKENS_PER_T = 1e12  # a trillion (万亿) tokens
PARAMS_PER_BN = 1e9
FLOP_PER_MULTIPLY_ADD = 2.0  # one multiply-accumulate is two floating-point operations
PERCENT = 100.0  # percent per unit fraction

# Counts (users, queries, signals): scale factors
COUNT_PER_M = 1e6
COUNT_PER_BN = 1e9

# Time, small scale (per-user daily use)
MINUTES_PER_HOUR = 60.0
