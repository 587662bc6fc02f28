"""Compute capex: what ByteDance's 2026 AI budget buys, what it draws and what it costs to run.

Pure, vectorized model functions: every argument may be a float, a numpy array
or a pandas Series (which keeps its index), and arrays broadcast as numpy does.
The unit of every quantity is in its name. Invalid input raises ModelInputError
(a ValueError) with the bad value and the valid range.

The chain is budget -> accelerators -> peak compute and IT power -> racks ->
facility power (PUE) -> annual energy -> annual cost and cost per GPU-hour.
`fleet(FleetInputs)` runs the whole chain; `analysis.models.chain.evaluate` builds its
inputs from parameter values and hands the fleet to every later stage.

Claim ids (S0-xx ... S4-xx) are the seed claims in data/claims.yaml; source ids
are external sources in data/sources.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelInputError
from .units import (
    FLOPS_PER_TFLOPS,
    HOURS_PER_YEAR,
    KW_PER_MW,
    KWH_PER_GWH,
    M_PER_BN,
    MWH_PER_GWH,
    RMB_PER_BN,
    USD_PER_BN,
    W_PER_KW,
)
from .validation import Numeric, Outputs, StageInputs
from .validation import fraction as _fraction
from .validation import non_negative as _non_negative
from .validation import positive as _positive
from .validation import require as _require

# Relative slack when counting whole servers in a rack, so that a ratio such as
# 12 kW / 6 kW that floating point computes as 1.9999999999 still counts as 2.
_FLOOR_SLACK = 1e-9


# --------------------------------------------------------------------------- validation


def check_pue(value) -> None:
    """Check a power usage effectiveness (PUE): facility power is at least IT power.

    The one PUE check of the models: `facility_power_mw`, `cost_per_gpu_hour_usd`
    and `emissions.gpu_energy_mwh` call it. Valid: pue >= 1 and finite.

    Parameters
    ----------
    value : float or array [ratio]
        PUE = total facility power / IT power.

    Returns
    -------
    None

    Raises
    ------
    ModelInputError
        If any value is below 1, NaN or infinite.

    The PUE parameter's range and basis (data/parameters/capex.yaml) give the sourced
    values; this check holds only the definition (a PUE cannot be below 1).

    Examples
    --------
    >>> check_pue(1.25)
    >>> check_pue(0.9)
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: pue must be >= 1 (facility power cannot be below IT power), got 0.9
    """
    _require("pue", value, lambda a: a >= 1,
             ">= 1 (facility power cannot be below IT power)")


# --------------------------------------------------------------------------- fleet size

def accelerator_count(budget_rmb, unit_price_usd, rmb_per_usd):
    """Accelerators a budget buys at a US-dollar unit price.

    accelerators = budget_rmb / (unit_price_usd x rmb_per_usd)

    The count is an expectation, not rounded to whole units, so Monte Carlo draws
    stay continuous.

    Parameters
    ----------
    budget_rmb : float or array [RMB]
        Money spent on these accelerators (not RMB bn).
    unit_price_usd : float or array [USD per accelerator]
    rmb_per_usd : float or array [RMB per USD]
        Exchange rate.

    Returns
    -------
    accelerators : float or array [accelerators]

    References
    ----------
    .. [1] Claim S3-08: 20,000 H200 at about USD 20,000, "approximately 141,000 RMB"
       each, i.e. 7.05 RMB/USD.
    .. [2] Seed notes section 3 item 2: 85 bn RMB at 141k RMB per card is about
       0.60 M H200-equivalents.

    Examples
    --------
    >>> round(float(accelerator_count(85e9, 20_000.0, 7.05)), -3)
    603000.0
    """
    _non_negative("budget_rmb", budget_rmb)
    _positive("unit_price_usd", unit_price_usd)
    _positive("rmb_per_usd", rmb_per_usd)
    return budget_rmb / (unit_price_usd * rmb_per_usd)


def accelerator_count_from_rmb_price(budget_rmb, unit_price_rmb):
    """Accelerators a budget buys at a renminbi unit price (domestic accelerators).

    accelerators = budget_rmb / unit_price_rmb

    Not rounded to whole units (see `accelerator_count`).

    Parameters
    ----------
    budget_rmb : float or array [RMB]
    unit_price_rmb : float or array [RMB per accelerator]

    Returns
    -------
    accelerators : float or array [accelerators]

    References
    ----------
    Same arithmetic as `accelerator_count`; the domestic unit price is an
    assumption (parameter domestic_accelerator_price_rmb).

    Examples
    --------
    >>> float(accelerator_count_from_rmb_price(1e9, 100_000.0))
    10000.0
    """
    _non_negative("budget_rmb", budget_rmb)
    _positive("unit_price_rmb", unit_price_rmb)
    return budget_rmb / unit_price_rmb


def peak_compute_flops(accelerators, dense_tflops_per_accelerator):
    """Peak dense compute of a fleet.

    peak_flops = accelerators x dense_tflops_per_accelerator x 1e12

    Use dense (not 2:4-sparse) tensor throughput: NVIDIA's headline figures
    include sparsity and are twice the dense ones.

    Parameters
    ----------
    accelerators : float or array [accelerators]
    dense_tflops_per_accelerator : float or array [TFLOPS, i.e. 1e12 FLOP/s]
        Dense tensor throughput of one accelerator at the chosen precision.

    Returns
    -------
    peak_flops : float or array [FLOP/s]

    References
    ----------
    .. [1] H100/H200 SXM: 989 dense BF16 and 1,979 dense FP8 TFLOPS
       (sources nvidia-h100-datasheet, nvidia-h200-datasheet).
    .. [2] H20: 148 dense BF16 TFLOPS (nvidia-h20-specs).

    Examples
    --------
    >>> f"{peak_compute_flops(1_000, 989.0):.3g}"
    '9.89e+17'
    """
    _non_negative("accelerators", accelerators)
    _non_negative("dense_tflops_per_accelerator", dense_tflops_per_accelerator)
    return accelerators * dense_tflops_per_accelerator * FLOPS_PER_TFLOPS


# --------------------------------------------------------------------------- power

def host_power_ratio(server_power_kw, accelerator_power_w, gpus_per_server=8):
    """Server power per watt of accelerator power (host CPUs, memory, NICs, fans, PSU losses).

    ratio = server_power_kw x 1000 / (gpus_per_server x accelerator_power_w)

    Parameters
    ----------
    server_power_kw : float or array [kW per server]
        Maximum power of the whole server.
    accelerator_power_w : float or array [W per accelerator]
        Maximum power (TDP) of one accelerator.
    gpus_per_server : float or array [accelerators per server], default 8

    Returns
    -------
    ratio : float or array [W of server per W of accelerators]

    References
    ----------
    .. [1] DGX H100: 10.2 kW maximum for 8 x 700 W GPUs, a ratio of about 1.82
       (sources nvidia-dgx-h100-user-guide, nvidia-h100-datasheet).

    Examples
    --------
    >>> round(float(host_power_ratio(10.2, 700.0)), 3)
    1.821
    """
    _positive("server_power_kw", server_power_kw)
    _positive("accelerator_power_w", accelerator_power_w)
    _positive("gpus_per_server", gpus_per_server)
    return server_power_kw * W_PER_KW / (gpus_per_server * accelerator_power_w)


def estimated_server_power_kw(accelerator_power_w, host_power_ratio, gpus_per_server=8):
    """Power of a server built around other accelerators, scaled like an NVIDIA 8-GPU server.

    server_power_kw = gpus_per_server x accelerator_power_w x host_power_ratio / 1000

    Assumes the host overhead per accelerator watt of a DGX H100 (see
    `host_power_ratio`) carries over to domestic 8-accelerator servers.

    Parameters
    ----------
    accelerator_power_w : float or array [W per accelerator]
    host_power_ratio : float or array [W of server per W of accelerators, >= 1]
    gpus_per_server : float or array [accelerators per server], default 8

    Returns
    -------
    server_power_kw : float or array [kW per server]

    References
    ----------
    .. [1] The host-power ratio of the DGX H100 (nvidia-dgx-h100-user-guide,
       nvidia-h100-datasheet), via `host_power_ratio`.

    Examples
    --------
    >>> round(float(estimated_server_power_kw(350.0, host_power_ratio(10.2, 700.0))), 2)
    5.1
    """
    _positive("accelerator_power_w", accelerator_power_w)
    _require("host_power_ratio", host_power_ratio, lambda a: a >= 1,
             ">= 1 (a server draws at least its accelerators' power)")
    _positive("gpus_per_server", gpus_per_server)
    return gpus_per_server * accelerator_power_w * host_power_ratio / W_PER_KW


def fleet_it_power_mw(accelerators, server_power_kw, gpus_per_server=8):
    """IT power of a fleet at the servers' maximum rating.

    it_power_mw = accelerators / gpus_per_server x server_power_kw / 1000

    Parameters
    ----------
    accelerators : float or array [accelerators]
    server_power_kw : float or array [kW per server]
    gpus_per_server : float or array [accelerators per server], default 8

    Returns
    -------
    it_power_mw : float or array [MW]

    References
    ----------
    .. [1] DGX H100 8-GPU server, 10.2 kW maximum (nvidia-dgx-h100-user-guide).

    Examples
    --------
    >>> round(float(fleet_it_power_mw(80_000, 10.2)), 1)
    102.0
    """
    _non_negative("accelerators", accelerators)
    _positive("server_power_kw", server_power_kw)
    _positive("gpus_per_server", gpus_per_server)
    return accelerators / gpus_per_server * server_power_kw / KW_PER_MW


def facility_power_mw(it_power_mw, pue):
    """Facility power: IT power times power usage effectiveness.

    facility_power_mw = it_power_mw x pue

    Parameters
    ----------
    it_power_mw : float or array [MW]
    pue : float or array [ratio, >= 1]
        Power usage effectiveness, total facility power / IT power (see `check_pue`).

    Returns
    -------
    facility_power_mw : float or array [MW]

    References
    ----------
    .. [1] The Green Grid's PUE definition (total facility power / IT power).
    .. [2] Uptime Institute average PUE 1.58 in 2023 (uptime-2023-pue) and 1.56 in
       2024 (uptime-2024-survey); Google fleet about 1.09
       (google-environmental-report-2025).

    Examples
    --------
    >>> facility_power_mw(100.0, 1.25)
    125.0
    """
    _non_negative("it_power_mw", it_power_mw)
    check_pue(pue)
    return it_power_mw * pue


def facility_energy_gwh(it_power_mw, pue, utilization, hours=HOURS_PER_YEAR):
    """Energy a data centre draws over `hours` (a year by default), busy a fraction `utilization` of them.

    energy_gwh = it_power_mw x pue x utilization x hours / 1000

    Idle draw is neglected (it is zero outside busy hours); pass an average-load
    fraction as `utilization` to include it. The one definition of facility energy:
    the fleet's year, a site's hourly draw (hours=1) and the emissions all use it.

    Parameters
    ----------
    it_power_mw : float or array [MW]
        IT power.
    pue : float or array [ratio, >= 1]
        Power usage effectiveness.
    utilization : float or array [fraction of the hours, 0-1]
        Busy share of the hours.
    hours : float or array [h], default 8,760 (a year)
        Period.

    Returns
    -------
    energy_gwh : float or array [GWh]
        Facility energy over the period.

    References
    ----------
    .. [1] Book's own arithmetic (house formula, STYLE.md).
    .. [2] Seed notes section 3 item 16: Datong, 144 MW IT x PUE 1.25 x 70% x 8,760 h,
       about 1.1 TWh a year (claim S0-28).

    Examples
    --------
    >>> round(float(facility_energy_gwh(144.0, 1.25, 0.7)), 1)
    1103.8

    One hour of the same site, in GWh (0.126 GWh = 126,000 kWh):

    >>> round(float(facility_energy_gwh(144.0, 1.25, 0.7, hours=1.0)), 3)
    0.126
    """
    _non_negative("hours", hours)
    _fraction("utilization", utilization)
    return facility_power_mw(it_power_mw, pue) * utilization * hours / MWH_PER_GWH


# --------------------------------------------------------------------------- racks and the Datong site

def servers_per_rack(rack_power_kw, server_power_kw):
    """Whole servers a power-limited rack holds.

    servers = floor(rack_power_kw / server_power_kw)

    The ratio is floored with a relative slack of 1e-9, so a ratio such as
    12 kW / 6 kW that floating point computes as 1.9999999999 still counts as 2.

    Parameters
    ----------
    rack_power_kw : float or array [kW per rack]
        Power the rack is designed for.
    server_power_kw : float or array [kW per server]

    Returns
    -------
    servers : float or array [servers per rack, a whole number >= 1]

    Raises
    ------
    ModelInputError
        When not even one server fits (rack_power_kw < server_power_kw).

    References
    ----------
    .. [1] A 12 kW rack (claim S0-28) holds one 10.2 kW DGX H100
       (nvidia-dgx-h100-user-guide).

    Examples
    --------
    >>> float(servers_per_rack(12.0, 10.2)), float(servers_per_rack(12.0, 6.0))
    (1.0, 2.0)
    >>> servers_per_rack(10.0, 10.2)
    Traceback (most recent call last):
        ...
    analysis.errors.ModelInputError: a 10.2 kW server does not fit a 10 kW rack; rack_power_kw must be >= server_power_kw
    """
    _positive("rack_power_kw", rack_power_kw)
    _positive("server_power_kw", server_power_kw)
    servers = np.floor(rack_power_kw / server_power_kw * (1 + _FLOOR_SLACK))
    too_big = np.asarray(servers) < 1
    if np.any(too_big):
        rack = np.broadcast_to(np.asarray(rack_power_kw, dtype=float), np.shape(too_big))[too_big]
        server = np.broadcast_to(np.asarray(server_power_kw, dtype=float), np.shape(too_big))[too_big]
        raise ModelInputError(
            f"a {float(np.ravel(server)[0]):g} kW server does not fit a {float(np.ravel(rack)[0]):g} kW "
            "rack; rack_power_kw must be >= server_power_kw"
        )
    return servers


def accelerators_per_rack(rack_power_kw, server_power_kw, gpus_per_server=8):
    """Accelerators a power-limited rack holds.

    accelerators_per_rack = floor(rack_power_kw / server_power_kw) x gpus_per_server

    Parameters
    ----------
    rack_power_kw : float or array [kW per rack]
    server_power_kw : float or array [kW per server]
    gpus_per_server : float or array [accelerators per server], default 8

    Returns
    -------
    accelerators_per_rack : float or array [accelerators per rack]

    Raises
    ------
    ModelInputError
        When not even one server fits (see `servers_per_rack`).

    References
    ----------
    .. [1] 12 kW Datong racks (claim S0-28) hold one 8-GPU DGX H100 of 10.2 kW
       (nvidia-dgx-h100-user-guide), i.e. 8 GPUs; seed notes section 3 item 4.

    Examples
    --------
    >>> float(accelerators_per_rack(12.0, 10.2)), float(accelerators_per_rack(12.0, 5.1))
    (8.0, 16.0)
    """
    _positive("gpus_per_server", gpus_per_server)
    return servers_per_rack(rack_power_kw, server_power_kw) * gpus_per_server


def racks_needed(accelerators, rack_power_kw, server_power_kw, gpus_per_server=8):
    """Racks needed to house a fleet when each rack holds whole servers.

    racks = accelerators / accelerators_per_rack(rack_power_kw, server_power_kw, gpus_per_server)

    Not rounded up (an expectation for large fleets).

    Parameters
    ----------
    accelerators : float or array [accelerators]
    rack_power_kw : float or array [kW per rack]
    server_power_kw : float or array [kW per server]
    gpus_per_server : float or array [accelerators per server], default 8

    Returns
    -------
    racks : float or array [racks]

    References
    ----------
    See `accelerators_per_rack` (claim S0-28, nvidia-dgx-h100-user-guide).

    Examples
    --------
    >>> float(racks_needed(80_000, 12.0, 10.2))
    10000.0
    """
    _non_negative("accelerators", accelerators)
    return accelerators / accelerators_per_rack(rack_power_kw, server_power_kw, gpus_per_server)


def rack_it_power_mw(racks, rack_power_kw):
    """IT power capacity of a site's racks.

    it_power_mw = racks x rack_power_kw / 1000

    Parameters
    ----------
    racks : float or array [racks]
    rack_power_kw : float or array [kW per rack]

    Returns
    -------
    it_power_mw : float or array [MW]

    References
    ----------
    .. [1] Datong, >12,000 racks x 12 kW = 144 MW IT (claim S0-28).

    Examples
    --------
    >>> rack_it_power_mw(12_000, 12.0)
    144.0
    """
    _non_negative("racks", racks)
    _positive("rack_power_kw", rack_power_kw)
    return racks * rack_power_kw / KW_PER_MW


def capex_per_mw_usd_m(capex_usd_m, it_power_mw):
    """Site capex per MW of IT capacity.

    capex_per_mw_usd_m = capex_usd_m / it_power_mw

    Parameters
    ----------
    capex_usd_m : float or array [USD M]
        Investment in the site.
    it_power_mw : float or array [MW]
        IT capacity of the site.

    Returns
    -------
    capex_per_mw_usd_m : float or array [USD M per MW of IT]

    References
    ----------
    .. [1] Datong, USD 614 M (claim S0-27) for 144 MW (claim S0-28), about
       USD 4.3 M/MW: building and power systems, not the IT inside (seed notes
       section 3 item 4).

    Examples
    --------
    >>> round(float(capex_per_mw_usd_m(614.0, rack_it_power_mw(12_000, 12.0))), 2)
    4.26
    """
    _non_negative("capex_usd_m", capex_usd_m)
    _positive("it_power_mw", it_power_mw)
    return capex_usd_m / it_power_mw


def facility_capex_usd_bn(it_power_mw, capex_per_mw_usd_m):
    """Data-centre shell capex for an IT load, at a cost per MW.

    facility_capex_usd_bn = it_power_mw x capex_per_mw_usd_m / 1000

    Parameters
    ----------
    it_power_mw : float or array [MW]
    capex_per_mw_usd_m : float or array [USD M per MW of IT]

    Returns
    -------
    facility_capex_usd_bn : float or array [USD bn]

    References
    ----------
    .. [1] The per-MW cost from `capex_per_mw_usd_m` (Datong, claims S0-27, S0-28).

    Examples
    --------
    >>> round(float(facility_capex_usd_bn(100.0, 4.3)), 3)
    0.43
    """
    _non_negative("it_power_mw", it_power_mw)
    _non_negative("capex_per_mw_usd_m", capex_per_mw_usd_m)
    return it_power_mw * capex_per_mw_usd_m / M_PER_BN


def fleet_share_hosted(site_racks, fleet_racks):
    """Share of a fleet's racks that one site can house.

    share = min(1, site_racks / fleet_racks)

    Parameters
    ----------
    site_racks : float or array [racks]
    fleet_racks : float or array [racks]

    Returns
    -------
    share : float or array [fraction, 0-1]

    References
    ----------
    .. [1] Datong's >12,000 server racks (claim S0-28) against the fleet's racks.

    Examples
    --------
    >>> float(fleet_share_hosted(12_000, 60_000)), float(fleet_share_hosted(12_000, 6_000))
    (0.2, 1.0)
    """
    _non_negative("site_racks", site_racks)
    _positive("fleet_racks", fleet_racks)
    return np.minimum(1.0, site_racks / fleet_racks)


# --------------------------------------------------------------------------- cost

def capital_recovery_factor(cost_of_capital, life_years):
    """The share of an investment to recover each year to repay it with interest over its life.

    crf = r / (1 - (1 + r) ** -life_years), and 1 / life_years at r = 0 (straight-line)

    Parameters
    ----------
    cost_of_capital : float or array [fraction per year] (r)
    life_years : float or array [years]

    Returns
    -------
    crf : float or array [fraction of the investment per year]

    References
    ----------
    .. [1] The standard annuity (capital recovery) factor of engineering economics; the
       cost of capital is an assumption on X-damodaran-implied-erp-2025 (parameter
       cost_of_capital).

    Examples
    --------
    >>> round(float(capital_recovery_factor(0.09, 5.0)), 4), float(capital_recovery_factor(0.0, 5.0))
    (0.2571, 0.2)
    """
    _non_negative("cost_of_capital", cost_of_capital)
    _positive("life_years", life_years)
    rate = np.asarray(cost_of_capital, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = rate / -np.expm1(-life_years * np.log1p(rate))
    crf = np.where(rate > 0, annuity, 1.0 / np.asarray(life_years, dtype=float))
    return crf if np.ndim(crf) else float(crf)


def annual_capital_usd_bn(capex_usd_bn, life_years, cost_of_capital=0.0):
    """What owning an asset costs a year: its capex recovered with interest over its life.

    capital_usd_bn = capex_usd_bn x capital_recovery_factor(cost_of_capital, life_years)
    (straight-line depreciation at a cost of capital of 0)

    Parameters
    ----------
    capex_usd_bn : float or array [USD bn]
    life_years : float or array [years]
    cost_of_capital : float or array [fraction per year]

    Returns
    -------
    capital_usd_bn : float or array [USD bn per year]

    References
    ----------
    .. [1] Hyperscalers depreciate servers over 5-6 years (parameter depreciation_life_years);
       Epoch AI puts a data centre's facility life at 14 years (X-epoch-dc-facility-life).

    Examples
    --------
    >>> annual_capital_usd_bn(20.0, 5.0)
    4.0
    >>> round(float(annual_capital_usd_bn(20.0, 5.0, 0.09)), 3)
    5.142
    """
    _non_negative("capex_usd_bn", capex_usd_bn)
    return capex_usd_bn * capital_recovery_factor(cost_of_capital, life_years)


def energy_cost_usd_bn(energy_gwh, electricity_usd_per_kwh):
    """Cost of energy at a flat electricity price.

    cost_usd_bn = energy_gwh x 1e6 kWh/GWh x electricity_usd_per_kwh / 1e9

    Parameters
    ----------
    energy_gwh : float or array [GWh]
    electricity_usd_per_kwh : float or array [USD per kWh]

    Returns
    -------
    cost_usd_bn : float or array [USD bn]

    References
    ----------
    Book's own arithmetic; the price is an assumption (parameter
    electricity_price_usd_per_kwh).

    Examples
    --------
    >>> round(float(energy_cost_usd_bn(1_000.0, 0.065)), 4)
    0.065
    """
    _non_negative("energy_gwh", energy_gwh)
    _non_negative("electricity_usd_per_kwh", electricity_usd_per_kwh)
    return energy_gwh * KWH_PER_GWH * electricity_usd_per_kwh / USD_PER_BN


def cost_per_gpu_hour_usd(annual_cost_usd_bn, accelerators, utilization):
    """Cost of one busy accelerator-hour: the fleet's annual cost over the hours it is in use.

    cost = annual_cost_usd_bn x 1e9 / (accelerators x 8,760 h x utilization)

    The book's one cost of a busy GPU-hour: the compute chapter's headline and what the token
    chapter prices tokens at.

    Parameters
    ----------
    annual_cost_usd_bn : float or array [USD bn per year] capital (with interest) and energy
    accelerators : float or array [accelerators]
    utilization : float or array [fraction of hours in use], in (0, 1]

    Returns
    -------
    cost_usd : float or array [USD per busy accelerator-hour]

    References
    ----------
    Book's own arithmetic; utilization is an assumption (parameter fleet_utilization).

    Examples
    --------
    >>> round(float(cost_per_gpu_hour_usd(4.4, 655_600, 0.7)), 3)
    1.094
    """
    _non_negative("annual_cost_usd_bn", annual_cost_usd_bn)
    _positive("accelerators", accelerators)
    _require("utilization", utilization, lambda a: (a > 0) & (a <= 1),
             "a fraction in (0, 1] (a cost per hour of use needs some use)")
    return annual_cost_usd_bn * USD_PER_BN / (accelerators * HOURS_PER_YEAR * utilization)


# --------------------------------------------------------------------------- comparisons

def rmb_bn_to_usd_bn(amount_rmb_bn, rmb_per_usd):
    """Convert RMB bn to USD bn at an exchange rate in RMB per USD.

    amount_usd_bn = amount_rmb_bn / rmb_per_usd

    Parameters
    ----------
    amount_rmb_bn : float or array [RMB bn]
    rmb_per_usd : float or array [RMB per USD]

    Returns
    -------
    amount_usd_bn : float or array [USD bn]

    References
    ----------
    .. [1] Claim S3-06: USD 300 bn "approximately 2.11 trillion RMB", i.e. 7.03 RMB/USD.

    Examples
    --------
    >>> round(float(rmb_bn_to_usd_bn(2_110.0, 7.03)), 1)
    300.1
    """
    _positive("rmb_per_usd", rmb_per_usd)
    return amount_rmb_bn / rmb_per_usd


def usd_bn_to_rmb_bn(amount_usd_bn, rmb_per_usd):
    """Convert USD bn to RMB bn at an exchange rate in RMB per USD.

    amount_rmb_bn = amount_usd_bn x rmb_per_usd

    Parameters
    ----------
    amount_usd_bn : float or array [USD bn]
    rmb_per_usd : float or array [RMB per USD]

    Returns
    -------
    amount_rmb_bn : float or array [RMB bn]

    References
    ----------
    .. [1] Claim S3-06: USD 300 bn is about 2.11 trillion RMB at 7.03 RMB/USD.

    Examples
    --------
    >>> round(float(usd_bn_to_rmb_bn(300.0, 7.03)), 1)
    2109.0
    """
    _positive("rmb_per_usd", rmb_per_usd)
    return amount_usd_bn * rmb_per_usd


def share_of(amount, reference):
    """One amount as a share of another in the same unit (e.g. capex as a share of revenue).

    share = amount / reference

    Parameters
    ----------
    amount : float or array [any unit]
    reference : float or array [the unit of amount, > 0]

    Returns
    -------
    share : float or array [fraction; above 1 when amount exceeds reference]

    Raises
    ------
    ModelInputError
        If reference is not > 0 (use `multiple_of` when it may be zero or negative).

    References
    ----------
    .. [1] Seed notes section 3 item 5: 160 bn RMB is about 14.6% of 2024 revenue of
       USD 155 bn (claim S0-20), and 7.6% of the >USD 300 bn of S3-06.

    Examples
    --------
    >>> round(float(share_of(160.0 / 7.05, 155.0)), 3)
    0.146
    """
    _positive("reference", reference)
    return amount / reference


def multiple_of(amount, reference):
    """One amount as a multiple of another that may be zero or negative (e.g. a budget increase).

    multiple = amount / reference

    Unlike `share_of`, a zero reference gives +/-inf (or nan for 0/0) instead of an
    error, so a scenario with no budget growth still builds.

    Parameters
    ----------
    amount : float or array [any unit]
    reference : float or array [the unit of amount]

    Returns
    -------
    multiple : float or numpy array [ratio]

    References
    ----------
    Book's own arithmetic.

    Examples
    --------
    >>> float(multiple_of(3.0, 2.0)), float(multiple_of(3.0, 0.0))
    (1.5, inf)
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(np.asarray(amount, dtype=float), np.asarray(reference, dtype=float))[()]


def growth_rate(current, previous):
    """Relative change from a previous value to a current one.

    growth = current / previous - 1

    Parameters
    ----------
    current : float or array [any unit]
    previous : float or array [the unit of current, > 0]

    Returns
    -------
    growth : float or array [fraction; 0.1 = +10%]

    References
    ----------
    .. [1] Seed notes section 3 item 1: 160 vs 150 bn RMB is +6.7% (claims S3-03, S4-01).

    Examples
    --------
    >>> round(float(growth_rate(160.0, 150.0)), 3)
    0.067
    """
    _positive("previous", previous)
    return current / previous - 1


# --------------------------------------------------------------------------- the whole chain

@dataclass(frozen=True)
class FleetInputs(StageInputs):
    """What the fleet stage reads: the 2026 budget, chip prices and specifications, power and cost.

    Floats or arrays of Monte Carlo draws; names and units as in data/parameters/capex.yaml.
    """

    ai_budget_2026_rmb_bn: Numeric  # [RMB bn] 2026 AI budget; claims S3-01, S4-01
    ai_budget_2025_rmb_bn: Numeric  # [RMB bn] 2025 AI spending; claim S3-03
    ai_processor_budget_2026_rmb_bn: Numeric  # [RMB bn] chips only; claims S3-05, S4-02
    imported_share_of_processor_budget: Numeric  # [fraction] spent on H200-class GPUs; assumption
    h200_unit_price_usd: Numeric  # [USD per GPU] claims S3-13, S3-08
    rmb_per_usd: Numeric  # [RMB per USD] exchange rate; claims S3-06, S3-08
    h200_bf16_dense_tflops: Numeric  # [TFLOPS] dense BF16; nvidia-h200-datasheet
    h200_fp8_dense_tflops: Numeric  # [TFLOPS] dense FP8; nvidia-h200-datasheet
    h200_power_w: Numeric  # [W] per GPU; nvidia-h200-datasheet
    dgx_server_power_kw: Numeric  # [kW per server] 8-GPU server at maximum; nvidia-dgx-h100-user-guide
    accelerators_per_server: Numeric  # [accelerators per server] nvidia-dgx-h100-user-guide
    domestic_accelerator_price_rmb: Numeric  # [RMB per accelerator] assumption
    domestic_bf16_dense_tflops: Numeric  # [TFLOPS] assumption
    domestic_fp8_to_bf16_ratio: Numeric  # [ratio] FP8 speed as a multiple of BF16; assumption
    domestic_accelerator_power_w: Numeric  # [W] assumption
    server_overhead_ratio: Numeric  # [RMB per RMB of chips] servers and networking; assumption
    rack_power_kw: Numeric  # [kW per rack] Datong racks; claims S0-38, S0-28
    pue: Numeric  # [ratio] power usage effectiveness; uptime-2024-survey
    fleet_utilization: Numeric  # [fraction of hours] busy share of the year; assumption
    depreciation_life_years: Numeric  # [years] life of chips, servers and networking; claim S1-12
    facility_life_years: Numeric  # [years] life of the buildings; X-epoch-dc-facility-life
    cost_of_capital: Numeric  # [fraction per year] X-damodaran-implied-erp-2025 + assumption
    electricity_price_usd_per_kwh: Numeric  # [USD per kWh] assumption
    datong_capex_usd_m: Numeric  # [USD M] Datong site investment; claim S0-27
    datong_server_racks: Numeric  # [racks] Datong server racks; claim S0-28
    capex_2024_rmb_bn: Numeric  # [RMB bn] 2024 capex; X-bytedance-capex-2024-rmb
    accelerator_share_of_capex_2024_2025: Numeric  # [fraction] chips' share of 2024-25 capex; assumption
    installed_accelerator_price_rmb: Numeric  # [RMB per accelerator] H20 / 910B mix; X-h20-unit-price
    installed_bf16_dense_tflops: Numeric  # [TFLOPS] H20 / 910B mix; X-h20-bf16-dense
    installed_accelerator_power_w: Numeric  # [W] H20 / 910B mix; X-h20-tdp
    h200_test_order_units: Numeric  # [units] the H200 test order; claim S3-08
    revenue_2024_usd_bn: Numeric  # [USD bn] claim S0-20
    net_profit_2024_usd_bn: Numeric  # [USD bn] claims S0-35, S0-20
    us_hyperscaler_capex_2025_usd_bn: Numeric  # [USD bn] the US big four; claim S3-06


@dataclass(frozen=True, eq=False)
class Fleet(Outputs):
    """What the 2026 budget buys and costs, and the fleet installed before it: the outputs of `fleet`.

    Fields without a prefix are the 2026 cohort (what the 2026 budget buys);
    `installed_*` the accelerators bought in 2024 and 2025, in service at the start of
    2026; `whole_fleet_*` both together.

    Fields are floats or arrays, units in their names; `fleet` lists each with its
    unit. Also a read-only mapping of field name -> value, so it can be handed to
    `uncertainty.simulate` and `uncertainty.tornado` as it is.
    """

    # what the processor budget buys
    imported_accelerators: object
    domestic_accelerators: object
    accelerators: object
    servers: object
    peak_bf16_flops: object
    peak_fp8_flops: object
    # power and space
    it_power_mw: object
    facility_power_mw: object
    annual_energy_gwh: object
    imported_accelerators_per_rack: object
    domestic_accelerators_per_rack: object
    racks: object
    datong_share_of_fleet_racks: object
    datong_sites: object  # sites of Datong's size the fleet's racks fill
    # the fleet installed before 2026, and the whole fleet with the 2026 cohort
    installed_accelerators: object
    installed_peak_bf16_flops: object
    installed_it_power_mw: object
    installed_annual_energy_gwh: object
    whole_fleet_accelerators: object
    whole_fleet_peak_bf16_flops: object
    whole_fleet_it_power_mw: object
    whole_fleet_facility_power_mw: object
    whole_fleet_annual_energy_gwh: object
    compute_growth_2026: object  # whole fleet's peak compute over the installed base's
    # capital
    it_capex_rmb_bn: object
    facility_capex_rmb_bn: object
    unallocated_budget_rmb_bn: object
    capex_usd_per_accelerator: object
    h200_test_order_share_of_processor_budget: object
    # running cost
    annual_it_capital_usd_bn: object
    annual_facility_capital_usd_bn: object
    annual_energy_cost_usd_bn: object
    annual_cost_usd_bn: object
    cost_per_gpu_hour_usd: object
    # comparisons
    budget_usd_bn: object
    budget_growth_fraction: object
    budget_share_of_revenue: object
    budget_share_of_net_profit: object
    budget_share_of_us_hyperscaler_capex: object


def fleet(inputs: FleetInputs) -> Fleet:
    """The 2026 fleet: from budget to accelerators, compute, power, racks, energy and cost.

    Steps:

    1. The AI-processor budget (claims S3-05, S4-02) is chips only ("光买芯片就850亿").
       A share of it buys imported H200-class GPUs at a USD price (S3-08), the
       rest domestic accelerators at an RMB price (assumption):
       imported = processor_rmb x share / (h200_unit_price_usd x rmb_per_usd),
       domestic = processor_rmb x (1 - share) / domestic_accelerator_price_rmb.
    2. Peak dense BF16/FP8 compute from per-accelerator TFLOPS (nvidia-h200-datasheet;
       domestic: assumption, FP8 as a multiple of BF16).
    3. IT power at server maximum rating: NVIDIA 8-GPU servers at the DGX H100
       rating (nvidia-dgx-h100-user-guide); domestic servers scaled by the same
       host-power ratio. Racks at `rack_power_kw` (Datong, S0-28) hold whole servers.
    4. Facility power = IT x PUE; annual energy at `fleet_utilization`
       (`facility_energy_gwh`).
    4b. The installed base: the 2024 and 2025 capex (X-bytedance-capex-2024-rmb, S3-03)
       x the chips' share of it / the average price of an accelerator bought then,
       at its own throughput and power, in servers with the same host overhead, PUE
       and utilization. The whole fleet is the installed base plus the 2026 cohort
       (no retirements in 2026); `compute_growth_2026` = whole fleet's peak BF16 /
       the installed base's.
    5. IT capex = chips x (1 + server_overhead_ratio): servers and networking are
       bought from the non-processor part of the budget. Facility shell capex at
       Datong's cost per MW (S0-27, S0-28). What is left of the 2026 budget after
       both is `unallocated_budget_rmb_bn` (negative: the budget does not cover them).
    6. Annual cost = straight-line depreciation of IT capex (facility shell not
       included) + facility energy at the electricity price; per GPU-hour of use
       (`cost_per_gpu_hour_usd`).
    7. Comparisons of the whole 2026 budget with 2025 (S3-03), revenue and net
       profit 2024 (S0-20) and US hyperscaler capex (S3-06).

    Parameters
    ----------
    inputs : FleetInputs
        Floats or equal-length numpy arrays (Monte Carlo draws); each field's unit and
        source are in `FleetInputs` and data/parameters/capex.yaml.

    Returns
    -------
    Fleet
        Floats or arrays (the shape of the inputs' draws):

        - imported_accelerators, domestic_accelerators, accelerators [accelerators];
          servers [servers]
        - peak_bf16_flops, peak_fp8_flops [FLOP/s, dense]
        - it_power_mw, facility_power_mw [MW]; annual_energy_gwh [GWh per year]
        - imported_accelerators_per_rack, domestic_accelerators_per_rack
          [accelerators per rack]; racks [racks]; datong_share_of_fleet_racks [fraction]
        - installed_accelerators, whole_fleet_accelerators [accelerators];
          installed_peak_bf16_flops, whole_fleet_peak_bf16_flops [FLOP/s, dense];
          installed_it_power_mw, whole_fleet_it_power_mw, whole_fleet_facility_power_mw
          [MW]; installed_annual_energy_gwh, whole_fleet_annual_energy_gwh [GWh per
          year]; compute_growth_2026 [ratio]
        - it_capex_rmb_bn, facility_capex_rmb_bn, unallocated_budget_rmb_bn [RMB bn];
          capex_usd_per_accelerator [USD per accelerator, IT capex];
          h200_test_order_share_of_processor_budget [fraction]
        - annual_it_capital_usd_bn, annual_facility_capital_usd_bn (capex recovered with
          interest over its life), annual_energy_cost_usd_bn, annual_cost_usd_bn
          [USD bn per year]; cost_per_gpu_hour_usd [USD per busy accelerator-hour]
        - budget_usd_bn [USD bn]; budget_growth_fraction [fraction, 2026 vs 2025];
          budget_share_of_revenue, budget_share_of_net_profit,
          budget_share_of_us_hyperscaler_capex [fraction]

    References
    ----------
    Claims S3-01, S3-03, S3-05, S3-06, S3-08, S4-01, S4-02, S0-20, S0-27, S0-28,
    X-bytedance-capex-2024-rmb, X-bytedance-hopper-purchases-2024, X-h20-unit-price
    (data/claims.yaml); sources nvidia-h200-datasheet, nvidia-dgx-h100-user-guide,
    uptime-2024-survey (data/sources.yaml).

    Examples
    --------
    At the registry's default parameter values:

    >>> from analysis.inputs import registry
    >>> p = registry.registry().defaults()
    >>> f = fleet(FleetInputs.from_params(p))
    >>> f"{f.accelerators:.3g}", f"{f.it_power_mw:.3g}", f"{f.annual_energy_gwh:.3g}"
    ('6.56e+05', '771', '5.91e+03')
    >>> f"{f.cost_per_gpu_hour_usd:.3g}", f"{f.budget_share_of_revenue:.3g}"
    ('1.5', '0.146')

    Arrays of draws give arrays:

    >>> fleet(FleetInputs.from_params({**p, "pue": np.array([1.2, 1.5])})).facility_power_mw.round()
    array([ 926., 1157.])
    """
    bought = _purchase(inputs)
    power = _power_and_racks(inputs, bought)
    capital = _capital(inputs, bought, power)
    return Fleet(**bought, **power, **_installed_base(inputs, bought, power), **capital,
                 **_running_cost(inputs, bought, power, capital), **_comparisons(inputs))


def _purchase(inputs: FleetInputs) -> dict:
    """Steps 1-2 of `fleet`: accelerators bought, servers, peak dense compute."""
    processor_rmb_bn = inputs.ai_processor_budget_2026_rmb_bn
    _positive("ai_processor_budget_2026_rmb_bn", processor_rmb_bn)
    processor_rmb = processor_rmb_bn * RMB_PER_BN
    share = inputs.imported_share_of_processor_budget
    _fraction("imported_share_of_processor_budget", share)
    imported = accelerator_count(processor_rmb * share, inputs.h200_unit_price_usd, inputs.rmb_per_usd)
    domestic = accelerator_count_from_rmb_price(processor_rmb * (1 - share),
                                                inputs.domestic_accelerator_price_rmb)
    total = imported + domestic
    domestic_bf16 = inputs.domestic_bf16_dense_tflops
    _positive("domestic_fp8_to_bf16_ratio", inputs.domestic_fp8_to_bf16_ratio)
    bf16 = peak_compute_flops(imported, inputs.h200_bf16_dense_tflops) + peak_compute_flops(domestic, domestic_bf16)
    fp8 = (peak_compute_flops(imported, inputs.h200_fp8_dense_tflops)
           + peak_compute_flops(domestic, domestic_bf16 * inputs.domestic_fp8_to_bf16_ratio))
    return dict(imported_accelerators=imported, domestic_accelerators=domestic, accelerators=total,
                servers=total / inputs.accelerators_per_server, peak_bf16_flops=bf16, peak_fp8_flops=fp8)


def _server_power_kw(inputs: FleetInputs, accelerator_power_w) -> object:
    """A server of accelerators drawing `accelerator_power_w` each, with the H200 server's host overhead."""
    per_server = inputs.accelerators_per_server
    ratio = host_power_ratio(inputs.dgx_server_power_kw, inputs.h200_power_w, per_server)
    return estimated_server_power_kw(accelerator_power_w, ratio, per_server)


def _power_and_racks(inputs: FleetInputs, bought: dict) -> dict:
    """Steps 3-4 of `fleet`: IT and facility power, energy, racks and the Datong site's share."""
    imported, domestic = bought["imported_accelerators"], bought["domestic_accelerators"]
    per_server = inputs.accelerators_per_server
    nvidia_server_kw = inputs.dgx_server_power_kw
    domestic_server_kw = _server_power_kw(inputs, inputs.domestic_accelerator_power_w)
    it_mw = (fleet_it_power_mw(imported, nvidia_server_kw, per_server)
             + fleet_it_power_mw(domestic, domestic_server_kw, per_server))
    rack_kw = inputs.rack_power_kw
    imported_per_rack = accelerators_per_rack(rack_kw, nvidia_server_kw, per_server)
    domestic_per_rack = accelerators_per_rack(rack_kw, domestic_server_kw, per_server)
    racks = (racks_needed(imported, rack_kw, nvidia_server_kw, per_server)
             + racks_needed(domestic, rack_kw, domestic_server_kw, per_server))
    datong_racks = inputs.datong_server_racks
    return dict(it_power_mw=it_mw, facility_power_mw=facility_power_mw(it_mw, inputs.pue),
                annual_energy_gwh=facility_energy_gwh(it_mw, inputs.pue, inputs.fleet_utilization),
                imported_accelerators_per_rack=imported_per_rack, domestic_accelerators_per_rack=domestic_per_rack,
                racks=racks, datong_share_of_fleet_racks=fleet_share_hosted(datong_racks, racks),
                datong_sites=racks / datong_racks)


def _installed_base(inputs: FleetInputs, bought: dict, power: dict) -> dict:
    """Step 4b of `fleet`: the accelerators bought in 2024 and 2025, and the whole fleet with 2026's."""
    share = inputs.accelerator_share_of_capex_2024_2025
    _fraction("accelerator_share_of_capex_2024_2025", share)
    chips_rmb = (inputs.capex_2024_rmb_bn + inputs.ai_budget_2025_rmb_bn) * RMB_PER_BN * share
    installed = accelerator_count_from_rmb_price(chips_rmb, inputs.installed_accelerator_price_rmb)
    server_kw = _server_power_kw(inputs, inputs.installed_accelerator_power_w)
    it_mw = fleet_it_power_mw(installed, server_kw, inputs.accelerators_per_server)
    flops = peak_compute_flops(installed, inputs.installed_bf16_dense_tflops)
    whole_it_mw = it_mw + power["it_power_mw"]
    whole_flops = flops + bought["peak_bf16_flops"]
    return dict(installed_accelerators=installed, installed_peak_bf16_flops=flops, installed_it_power_mw=it_mw,
                installed_annual_energy_gwh=facility_energy_gwh(it_mw, inputs.pue, inputs.fleet_utilization),
                whole_fleet_accelerators=installed + bought["accelerators"], whole_fleet_peak_bf16_flops=whole_flops,
                whole_fleet_it_power_mw=whole_it_mw, whole_fleet_facility_power_mw=facility_power_mw(whole_it_mw, inputs.pue),
                whole_fleet_annual_energy_gwh=facility_energy_gwh(whole_it_mw, inputs.pue, inputs.fleet_utilization),
                compute_growth_2026=whole_flops / flops)


def _capital(inputs: FleetInputs, bought: dict, power: dict) -> dict:
    """Step 5 of `fleet`: IT and facility capex, what the budget leaves, the H200 test order's share."""
    overhead = inputs.server_overhead_ratio
    _non_negative("server_overhead_ratio", overhead)
    rmb_per_usd = inputs.rmb_per_usd
    processor_rmb = inputs.ai_processor_budget_2026_rmb_bn * RMB_PER_BN
    it_capex_rmb_bn = processor_rmb * (1 + overhead) / RMB_PER_BN
    site_it_mw = rack_it_power_mw(inputs.datong_server_racks, inputs.rack_power_kw)
    datong_per_mw = capex_per_mw_usd_m(inputs.datong_capex_usd_m, site_it_mw)
    facility_capex_rmb_bn = usd_bn_to_rmb_bn(facility_capex_usd_bn(power["it_power_mw"], datong_per_mw), rmb_per_usd)
    it_capex_usd_bn = rmb_bn_to_usd_bn(it_capex_rmb_bn, rmb_per_usd)
    test_order_rmb = inputs.h200_test_order_units * inputs.h200_unit_price_usd * rmb_per_usd
    return dict(it_capex_rmb_bn=it_capex_rmb_bn, facility_capex_rmb_bn=facility_capex_rmb_bn,
                unallocated_budget_rmb_bn=inputs.ai_budget_2026_rmb_bn - it_capex_rmb_bn - facility_capex_rmb_bn,
                capex_usd_per_accelerator=it_capex_usd_bn * USD_PER_BN / bought["accelerators"],
                h200_test_order_share_of_processor_budget=share_of(test_order_rmb, processor_rmb))


def _running_cost(inputs: FleetInputs, bought: dict, power: dict, capital: dict) -> dict:
    """Step 6 of `fleet`: capital (IT and buildings, with interest), electricity, their sum and the
    cost per busy GPU-hour."""
    rate, rmb_per_usd = inputs.cost_of_capital, inputs.rmb_per_usd
    it_capital = annual_capital_usd_bn(rmb_bn_to_usd_bn(capital["it_capex_rmb_bn"], rmb_per_usd),
                                       inputs.depreciation_life_years, rate)
    facility_capital = annual_capital_usd_bn(rmb_bn_to_usd_bn(capital["facility_capex_rmb_bn"], rmb_per_usd),
                                             inputs.facility_life_years, rate)
    energy_cost = energy_cost_usd_bn(power["annual_energy_gwh"], inputs.electricity_price_usd_per_kwh)
    total = it_capital + facility_capital + energy_cost
    return dict(annual_it_capital_usd_bn=it_capital, annual_facility_capital_usd_bn=facility_capital,
                annual_energy_cost_usd_bn=energy_cost, annual_cost_usd_bn=total,
                cost_per_gpu_hour_usd=cost_per_gpu_hour_usd(total, bought["accelerators"], inputs.fleet_utilization))


def _comparisons(inputs: FleetInputs) -> dict:
    """Step 7 of `fleet`: the 2026 budget in USD, against 2025, revenue, profit and US peers."""
    budget_rmb_bn = inputs.ai_budget_2026_rmb_bn
    budget_usd_bn = rmb_bn_to_usd_bn(budget_rmb_bn, inputs.rmb_per_usd)
    return dict(budget_usd_bn=budget_usd_bn,
                budget_growth_fraction=growth_rate(budget_rmb_bn, inputs.ai_budget_2025_rmb_bn),
                budget_share_of_revenue=share_of(budget_usd_bn, inputs.revenue_2024_usd_bn),
                budget_share_of_net_profit=share_of(budget_usd_bn, inputs.net_profit_2024_usd_bn),
                budget_share_of_us_hyperscaler_capex=share_of(budget_usd_bn,
                                                              inputs.us_hyperscaler_capex_2025_usd_bn))
