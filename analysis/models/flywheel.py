"""The ad-intent flywheel: can Doubao's losses pay for themselves through Douyin's ads?

Seed 004's thesis (claim S4-06, "豆包亏的钱,是在帮抖音的广告位涨价"): the free Doubao
app burns "several tens of billions" of RMB a year (S4-03); what it buys is intent
that users state in their own words, which makes the ad impressions shown to them
worth more, because advertisers pay for measured return (S4-05). The model:

    users x queries x commercial-intent share          -> intent signals
    intent signals, lifetime, audience coverage        -> matched share of ad revenue
    domestic ad revenue x matched share x yield uplift -> extra ad revenue
    app cost = serving cost (token economics: the app's share of daily tokens x cost
               per token) + other app costs (staff, marketing) + other intent products
    extra ad revenue - app cost                        -> net, cumulated over the years
    extra ad revenue / app cost                        -> extra user growth (the loop)

Pure, vectorized functions: arguments are floats or numpy arrays (a pandas Series
keeps its index) and broadcast as numpy does; units are in the names. Invalid
input raises ModelInputError (a ValueError) naming the bad value and the valid range. Sourced numbers
live in data/parameters/flywheel.yaml (and capex.yaml / tokens.yaml for the
fleet and token-economics inputs, whose `tokens.economics` gives the app's serving cost),
never here.
The seed's "several tens of billions" (app_burn_rmb_bn, claim S4-03) is not an
input of the cost: it is reported beside the modelled cost for comparison. Claim ids (S0-xx ... S4-xx, X-...) are in data/claims.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelInputError
from . import tokens
from .units import COUNT_PER_BN, COUNT_PER_M, DAYS_PER_YEAR, RMB_PER_BN
from .validation import Numeric, Outputs, StageInputs
from .validation import fraction as _fraction
from .validation import non_negative as _non_negative
from .validation import positive as _positive
from .validation import require as _require
from .validation import yearly_change

REVENUE_BASE_YEAR = 2024
"""The year of `revenue_2024_usd_bn`, from which ad revenue is grown (a name, not a datum)."""


@dataclass(frozen=True)
class FlywheelInputs(StageInputs):
    """What the flywheel stage reads besides the traffic: ads, users, intent and the years simulated.

    Floats or arrays of Monte Carlo draws (the two year counts: one whole number); names
    and units as in data/parameters/flywheel.yaml, with the revenue and exchange rate of
    capex.yaml and the seed's burn of tokens.yaml.
    """

    app_other_costs_rmb_bn: Numeric  # [RMB bn per year] staff, marketing, user acquisition; assumption
    intent_products_annual_cost_rmb_bn: Numeric  # [RMB bn per year] input method and phone; assumption
    ad_share_of_revenue: Numeric  # [fraction of revenue] assumption
    domestic_share_of_revenue: Numeric  # [fraction of revenue] X-bytedance-overseas-share-2024
    ad_revenue_growth_per_year: Numeric  # [fraction per year] X-bytedance-cn-ad-growth-2024
    ad_audience_mau_m: Numeric  # [M monthly active users] Douyin's domestic ad audience; assumption
    doubao_mau_m: Numeric  # [M monthly active users] assumption
    queries_per_user_per_day: Numeric  # [queries per monthly user per day] assumption
    commercial_intent_share: Numeric  # [fraction of queries] with buying intent; assumption
    intent_signal_lifetime_days: Numeric  # [days] how long an intent stays useful; assumption
    intent_category_match_share: Numeric  # [fraction of a user's matchable ads] assumption
    affected_ad_share: Numeric  # [fraction of domestic ad revenue] intent-matchable; assumption
    intent_spillover_share: Numeric  # [fraction of the direct uplift] assumption
    yield_uplift: Numeric  # [fraction of ad yield] on matched impressions; assumption
    user_growth_per_year: Numeric  # [fraction per year] claims S3-11, S2-03
    user_growth_from_funding: Numeric  # [fraction per year] extra when ads fund the app; assumption
    cost_per_token_decline_per_year: Numeric  # [fraction per year] claims S1-05, S1-06
    tokens_per_user_growth_per_year: Numeric  # [fraction per year] claims S3-11, S2-03
    flywheel_start_year: Numeric  # [year] the first simulated year; claims S4-01, S4-03
    flywheel_years: Numeric  # [years] how many years are simulated; assumption
    revenue_2024_usd_bn: Numeric  # [USD bn] ByteDance 2024 revenue (capex.yaml); claim S0-20
    rmb_per_usd: Numeric  # [RMB per USD] exchange rate (capex.yaml); claims S3-06, S3-08
    app_burn_rmb_bn: Numeric  # [RMB bn per year] the seed's burn (tokens.yaml), compared, not used; S4-03


SIMULATION_COLUMNS = (
    "year", "doubao_mau_m", "queries_bn", "intent_signals_bn", "matched_ad_share",
    "ad_revenue_rmb_bn", "extra_ad_revenue_rmb_bn", "app_cost_rmb_bn", "net_rmb_bn",
    "cumulative_net_rmb_bn",
)


# --------------------------------------------------------------------------- the algebra

def incremental_ad_revenue(ad_revenue, affected_share, yield_uplift):
    """Extra ad revenue from a rise in yield on part of the ad revenue.

    extra = ad_revenue x affected_share x yield_uplift

    Parameters
    ----------
    ad_revenue : float or array [any currency and scale, e.g. RMB bn]
    affected_share : float or array [fraction of ad_revenue, 0-1]
        Share of the ad revenue whose impressions get the uplift.
    yield_uplift : float or array [relative change, > -1]
        0.1 = +10% price per impression on the affected impressions; may be negative.

    Returns
    -------
    extra : float or array [the unit of ad_revenue]

    References
    ----------
    .. [1] Seed 004's thesis that intent data raises ad-slot prices (claim S4-06);
       seed notes section 3 item 20.

    Examples
    --------
    >>> round(float(incremental_ad_revenue(400.0, 0.1, 0.25)), 6)
    10.0
    """
    _non_negative("ad_revenue", ad_revenue)
    _fraction("affected_share", affected_share)
    _require("yield_uplift", yield_uplift, lambda a: a > -1,
             "a relative change > -1 (a yield cannot fall by 100% or more)")
    return ad_revenue * affected_share * yield_uplift


def breakeven_yield_uplift(app_cost, ad_revenue, affected_share):
    """The yield uplift at which extra ad revenue equals the app's cost.

    uplift = app_cost / (ad_revenue x affected_share)

    the solution of `incremental_ad_revenue(ad_revenue, affected_share, u) = app_cost`.
    Above 1 means the affected impressions would have to more than double in price.

    Parameters
    ----------
    app_cost : float or array [the unit of ad_revenue, e.g. RMB bn per year]
    ad_revenue : float or array [e.g. RMB bn per year, > 0]
    affected_share : float or array [fraction of ad_revenue, in (0, 1]]

    Returns
    -------
    uplift : float or array [relative change in yield; 0.25 = +25%]

    References
    ----------
    .. [1] Seed notes section 3 item 20: a 20-90 bn RMB burn is 1.8-8.2% of 2024
       revenue (claims S4-03 and S0-20): the uplift needed if every yuan of revenue
       were affected.

    Examples
    --------
    >>> breakeven_yield_uplift(10.0, 400.0, 0.1)
    0.25
    """
    _non_negative("app_cost", app_cost)
    _positive("ad_revenue", ad_revenue)
    _require("affected_share", affected_share, lambda a: (a > 0) & (a <= 1),
             "a fraction in (0, 1] (with no affected ad revenue no uplift breaks even)")
    return app_cost / (ad_revenue * affected_share)


def domestic_ad_revenue_rmb_bn(revenue_usd_bn, rmb_per_usd, ad_share_of_revenue,
                               domestic_share_of_revenue, ad_revenue_growth_per_year=0.0,
                               years_after_base=0):
    """ByteDance's domestic (China) ad revenue, in RMB bn, grown from the base year.

    ad_revenue = revenue_usd_bn x rmb_per_usd x ad_share_of_revenue x domestic_share_of_revenue
                 x (1 + ad_revenue_growth_per_year) ** years_after_base

    Parameters
    ----------
    revenue_usd_bn : float or array [USD bn per year]
        Group revenue in the base year (2024).
    rmb_per_usd : float or array [RMB per USD]
    ad_share_of_revenue : float or array [fraction of revenue, 0-1]
    domestic_share_of_revenue : float or array [fraction of revenue, 0-1]
    ad_revenue_growth_per_year : float or array [fraction per year, > -1], default 0
    years_after_base : float or array [years, >= 0], default 0

    Returns
    -------
    ad_revenue : float or array [RMB bn per year]

    References
    ----------
    .. [1] 2024 revenue USD 155 bn (claims S0-20, X-bytedance-revenue-2024), overseas
       about 25% of it (X-bytedance-overseas-share-2024).
    .. [2] Domestic ad growth under 17% a quarter in late 2024
       (X-bytedance-cn-ad-growth-2024). The ad share is an assumption (no public figure).

    Examples
    --------
    >>> domestic_ad_revenue_rmb_bn(100.0, 7.0, 0.5, 0.8)
    280.0
    >>> round(float(domestic_ad_revenue_rmb_bn(100.0, 7.0, 0.5, 0.8, 0.1, 2)), 1)
    338.8
    """
    _non_negative("revenue_usd_bn", revenue_usd_bn)
    _positive("rmb_per_usd", rmb_per_usd)
    _fraction("ad_share_of_revenue", ad_share_of_revenue)
    _fraction("domestic_share_of_revenue", domestic_share_of_revenue)
    yearly_change("ad_revenue_growth_per_year", ad_revenue_growth_per_year)
    _non_negative("years_after_base", years_after_base)
    return (revenue_usd_bn * rmb_per_usd * ad_share_of_revenue * domestic_share_of_revenue
            * (1 + ad_revenue_growth_per_year) ** years_after_base)


def queries_bn_per_year(users_m, queries_per_user_per_day):
    """Queries a year, in billions.

    queries_bn = users_m x 1e6 x queries_per_user_per_day x 365 / 1e9

    Parameters
    ----------
    users_m : float or array [M monthly active users]
    queries_per_user_per_day : float or array [queries per monthly user per day]

    Returns
    -------
    queries_bn : float or array [bn queries per year]

    References
    ----------
    Book's own arithmetic; both inputs are assumptions (no Doubao usage data in the seeds).

    Examples
    --------
    >>> queries_bn_per_year(100.0, 5.0)
    182.5
    """
    _non_negative("users_m", users_m)
    _non_negative("queries_per_user_per_day", queries_per_user_per_day)
    return users_m * COUNT_PER_M * queries_per_user_per_day * DAYS_PER_YEAR / COUNT_PER_BN


def intent_signals_bn_per_year(users_m, queries_per_user_per_day, commercial_intent_share):
    """Stated commercial intents a year, in billions.

    intent_signals_bn = queries_bn_per_year(users_m, queries_per_user_per_day) x commercial_intent_share

    Parameters
    ----------
    users_m : float or array [M monthly active users]
    queries_per_user_per_day : float or array [queries per monthly user per day]
    commercial_intent_share : float or array [fraction of queries, 0-1]
        Queries that state a buying intent.

    Returns
    -------
    intent_signals_bn : float or array [bn intent signals per year]

    References
    ----------
    .. [1] Seed 004's examples of stated intent ("我想去大理,帮我做个5天亲子游攻略",
       claim S4-06); the share is an assumption.

    Examples
    --------
    >>> round(float(intent_signals_bn_per_year(100.0, 5.0, 0.2)), 6)
    36.5
    """
    _fraction("commercial_intent_share", commercial_intent_share)
    return queries_bn_per_year(users_m, queries_per_user_per_day) * commercial_intent_share


def live_intent_fraction(queries_per_user_per_day, commercial_intent_share,
                         intent_signal_lifetime_days, intent_category_match_share):
    """Share of a user's matchable ad impressions that meet a live intent in their category.

    live = 1 - exp(-q x c x L x m)

    Intents arrive as a Poisson process at q x c a day (queries per day x
    commercial share); each stays live for L days and covers a share m of the
    user's matchable impressions, so q x c x L x m is the expected number of live
    intents covering an impression, and 1 - exp(-.) the chance of at least one.

    Parameters
    ----------
    queries_per_user_per_day : float or array [queries per user per day] (q)
    commercial_intent_share : float or array [fraction of queries, 0-1] (c)
    intent_signal_lifetime_days : float or array [days] (L)
    intent_category_match_share : float or array [fraction of a user's matchable ads, 0-1] (m)

    Returns
    -------
    live : float or array [fraction of matchable impressions, 0-1]

    References
    ----------
    The Poisson coverage formula (standard); the inputs are assumptions.

    Examples
    --------
    >>> round(float(live_intent_fraction(5.0, 0.2, 7.0, 0.1)), 3)
    0.503
    """
    _non_negative("queries_per_user_per_day", queries_per_user_per_day)
    _fraction("commercial_intent_share", commercial_intent_share)
    _non_negative("intent_signal_lifetime_days", intent_signal_lifetime_days)
    _fraction("intent_category_match_share", intent_category_match_share)
    rate = (queries_per_user_per_day * commercial_intent_share
            * intent_signal_lifetime_days * intent_category_match_share)
    return -np.expm1(-rate)


def matched_ad_share(users_m, ad_audience_mau_m, live_intent_fraction, affected_ad_share,
                     intent_spillover_share=0.0):
    """Effective share of domestic ad revenue whose yield the intent data lifts.

    coverage = users_m / ad_audience_mau_m               (Doubao users are part of the audience)
    direct   = coverage x live_intent_fraction
    matched  = affected_ad_share x (direct + (1 - direct) x intent_spillover_share)

    Impressions shown to a Doubao user with a live intent get the full uplift; all
    other matchable impressions a fraction `intent_spillover_share` of it
    (targeting learned from stated intents). Each user is taken to be worth the
    audience's average ad revenue.

    Parameters
    ----------
    users_m : float or array [M monthly active users]
        Doubao's users; at most the ad audience.
    ad_audience_mau_m : float or array [M monthly active users]
        Douyin's domestic ad audience.
    live_intent_fraction : float or array [fraction, 0-1]
        From `live_intent_fraction`.
    affected_ad_share : float or array [fraction of domestic ad revenue, 0-1]
        Intent-matchable ad revenue.
    intent_spillover_share : float or array [fraction of the direct uplift, 0-1], default 0

    Returns
    -------
    matched : float or array [fraction of domestic ad revenue, 0-1]

    References
    ----------
    .. [1] Seed 004: one profile per person across ByteDance apps; the Dali-trip
       example (claim S4-06). The inputs are assumptions.

    Examples
    --------
    >>> float(matched_ad_share(100.0, 800.0, 0.5, 0.6)), float(matched_ad_share(100.0, 800.0, 0.5, 0.6, 0.1))
    (0.0375, 0.09375)
    """
    _non_negative("users_m", users_m)
    _positive("ad_audience_mau_m", ad_audience_mau_m)
    _require("users_m / ad_audience_mau_m", np.asarray(users_m, dtype=float) / ad_audience_mau_m,
             lambda a: a <= 1, "<= 1 (Doubao's users are taken to be part of the ad audience)")
    _fraction("live_intent_fraction", live_intent_fraction)
    _fraction("affected_ad_share", affected_ad_share)
    _fraction("intent_spillover_share", intent_spillover_share)
    direct = users_m / ad_audience_mau_m * live_intent_fraction
    return affected_ad_share * (direct + (1 - direct) * intent_spillover_share)


def app_cost_rmb_bn(reference_cost_rmb_bn, users_m, reference_users_m, cost_per_token_factor=1.0,
                    tokens_per_user_factor=1.0, other_cost_rmb_bn=0.0):
    """The app's yearly cost at another user count, cost per token and usage per user.

    cost = reference_cost_rmb_bn x (users_m / reference_users_m) x cost_per_token_factor
           x tokens_per_user_factor + other_cost_rmb_bn

    Serving cost is taken to be proportional to tokens served (no fixed part
    except `other_cost_rmb_bn`, e.g. the input method and phone).

    Parameters
    ----------
    reference_cost_rmb_bn : float or array [RMB bn per year]
        Serving cost at `reference_users_m`: the token-economics serving cost
        (`tokens.economics(...).app_annual_serving_cost_rmb_bn`).
    users_m : float or array [M monthly active users]
    reference_users_m : float or array [M monthly active users, > 0]
    cost_per_token_factor : float or array [ratio to today's cost per token], default 1
        0.2 is Volcano Engine's claimed 80% cut.
    tokens_per_user_factor : float or array [ratio to today's tokens per user], default 1
    other_cost_rmb_bn : float or array [RMB bn per year], default 0
        Costs that do not scale with tokens (`fixed_app_costs_rmb_bn`).

    Returns
    -------
    cost : float or array [RMB bn per year]

    References
    ----------
    .. [1] Claims S1-05, S1-06 (the 80% cut). Seed 004's "几百亿" a year (S4-03) is
       only compared, not used.

    Examples
    --------
    >>> app_cost_rmb_bn(5.0, 400.0, 200.0, 0.2, 1.0, 13.0)
    15.0
    """
    _non_negative("reference_cost_rmb_bn", reference_cost_rmb_bn)
    _non_negative("users_m", users_m)
    _positive("reference_users_m", reference_users_m)
    _non_negative("cost_per_token_factor", cost_per_token_factor)
    _non_negative("tokens_per_user_factor", tokens_per_user_factor)
    _non_negative("other_cost_rmb_bn", other_cost_rmb_bn)
    return (reference_cost_rmb_bn * users_m / reference_users_m * cost_per_token_factor
            * tokens_per_user_factor + other_cost_rmb_bn)


def next_year_users_m(users_m, ceiling_users_m, user_growth_per_year, user_growth_from_funding=0.0,
                      funded_share=0.0):
    """Users next year: logistic growth, sped up when ad revenue pays for the app.

    growth = user_growth_per_year + user_growth_from_funding x clip(funded_share, 0, 1)   (at most 1)
    users' = users_m x (1 + growth x (1 - users_m / ceiling_users_m)), clipped to [0, ceiling]

    Users stay in [0, ceiling] for growth in [-1, 1] and users <= ceiling.

    Parameters
    ----------
    users_m : float or array [M monthly active users]
    ceiling_users_m : float or array [M monthly active users, > 0]
        The logistic ceiling (the ad audience in the simulation).
    user_growth_per_year : float or array [fraction per year, -1 to 1]
    user_growth_from_funding : float or array [fraction per year, 0-1], default 0
        Extra growth when ad revenue fully pays for the app.
    funded_share : float or array [ratio], default 0
        Extra ad revenue / app cost.

    Returns
    -------
    users_m : float or numpy array [M monthly active users]

    References
    ----------
    .. [1] The flywheel of seed 004 (claim S4-06); logistic (Verhulst) growth. The
       rates are assumptions.

    Examples
    --------
    >>> float(next_year_users_m(200.0, 800.0, 0.5)), float(next_year_users_m(200.0, 800.0, 0.5, 0.2, 2.0))
    (275.0, 305.0)
    """
    _non_negative("users_m", users_m)
    _positive("ceiling_users_m", ceiling_users_m)
    _require("user_growth_per_year", user_growth_per_year, lambda a: (a >= -1) & (a <= 1),
             "a yearly rate in [-1, 1]")
    _require("user_growth_from_funding", user_growth_from_funding, lambda a: (a >= 0) & (a <= 1),
             "a yearly rate in [0, 1]")
    _require("funded_share", funded_share, np.isfinite, "a finite number")
    growth = user_growth_per_year + user_growth_from_funding * np.clip(funded_share, 0.0, 1.0)
    growth = np.minimum(growth, 1.0)
    users = users_m * (1 + growth * (1 - users_m / ceiling_users_m))
    return np.clip(users, 0.0, ceiling_users_m)


# --------------------------------------------------------------------------- the yearly simulation

def _whole(name: str, value, minimum: int) -> int:
    """A scalar whole number (years); equal draws in an array are accepted."""
    arr = np.unique(np.asarray(value, dtype=float))
    if arr.size != 1 or not np.isfinite(arr[0]) or arr[0] != int(arr[0]) or arr[0] < minimum:
        raise ModelInputError(f"{name} must be one whole number >= {minimum}, got {value!r}")
    return int(arr[0])


def fixed_app_costs_rmb_bn(inputs: FlywheelInputs):
    """The yearly costs that do not scale with tokens served, RMB bn.

    fixed = app_other_costs_rmb_bn (staff, marketing, user acquisition)
            + intent_products_annual_cost_rmb_bn (input method, phone)

    Both are assumptions (data/parameters/flywheel.yaml), held flat in nominal terms.

    Parameters
    ----------
    inputs : FlywheelInputs
        Uses app_other_costs_rmb_bn and intent_products_annual_cost_rmb_bn [RMB bn per year].

    Returns
    -------
    fixed : float or array [RMB bn per year]

    Examples
    --------
    >>> from analysis.inputs import registry
    >>> inputs = FlywheelInputs.from_params(registry.registry().defaults())
    >>> inputs.app_other_costs_rmb_bn, inputs.intent_products_annual_cost_rmb_bn, fixed_app_costs_rmb_bn(inputs)
    (10.0, 3.0, 13.0)
    """
    other, products = inputs.app_other_costs_rmb_bn, inputs.intent_products_annual_cost_rmb_bn
    _non_negative("app_other_costs_rmb_bn", other)
    _non_negative("intent_products_annual_cost_rmb_bn", products)
    return other + products


def _run(inputs: FlywheelInputs, app_serving_cost_rmb_bn, years: int | None = None) -> dict[str, list]:
    """The yearly flywheel on floats or arrays: a list per output, one entry per year."""
    years = _whole("years", inputs.flywheel_years if years is None else years, 1)
    start = _whole("flywheel_start_year", inputs.flywheel_start_year, REVENUE_BASE_YEAR)

    users0 = inputs.doubao_mau_m
    _positive("doubao_mau_m", users0)
    audience = inputs.ad_audience_mau_m
    queries = inputs.queries_per_user_per_day
    intent_share = inputs.commercial_intent_share
    live = live_intent_fraction(queries, intent_share, inputs.intent_signal_lifetime_days,
                                inputs.intent_category_match_share)
    uplift = inputs.yield_uplift
    decline = inputs.cost_per_token_decline_per_year
    _require("cost_per_token_decline_per_year", decline, lambda a: (a >= 0) & (a < 1),
             "a fraction in [0, 1)")
    token_growth = inputs.tokens_per_user_growth_per_year
    yearly_change("tokens_per_user_growth_per_year", token_growth)
    _non_negative("revenue_2024_usd_bn", inputs.revenue_2024_usd_bn)
    other_cost = fixed_app_costs_rmb_bn(inputs)

    out: dict[str, list] = {c: [] for c in SIMULATION_COLUMNS}
    users, cumulative = users0, 0.0
    for t in range(years):
        ad_revenue = domestic_ad_revenue_rmb_bn(
            inputs.revenue_2024_usd_bn, inputs.rmb_per_usd, inputs.ad_share_of_revenue,
            inputs.domestic_share_of_revenue, inputs.ad_revenue_growth_per_year,
            start + t - REVENUE_BASE_YEAR)
        matched = matched_ad_share(users, audience, live, inputs.affected_ad_share,
                                   inputs.intent_spillover_share)
        extra = incremental_ad_revenue(ad_revenue, matched, uplift)
        cost = app_cost_rmb_bn(app_serving_cost_rmb_bn, users, users0, (1 - decline) ** t, (1 + token_growth) ** t,
                               other_cost)
        net = extra - cost
        cumulative = cumulative + net
        for column, value in (
            ("year", start + t), ("doubao_mau_m", users),
            ("queries_bn", queries_bn_per_year(users, queries)),
            ("intent_signals_bn", intent_signals_bn_per_year(users, queries, intent_share)),
            ("matched_ad_share", matched), ("ad_revenue_rmb_bn", ad_revenue),
            ("extra_ad_revenue_rmb_bn", extra), ("app_cost_rmb_bn", cost), ("net_rmb_bn", net),
            ("cumulative_net_rmb_bn", cumulative),
        ):
            out[column].append(value)
        funded = np.divide(extra, cost, out=np.ones_like(np.asarray(extra + cost, dtype=float)),
                           where=np.asarray(cost) > 0)
        users = next_year_users_m(users, audience, inputs.user_growth_per_year,
                                  inputs.user_growth_from_funding, funded)
    return out


def simulate_flywheel(inputs: FlywheelInputs, app_serving_cost_rmb_bn, years: int | None = None) -> pd.DataFrame:
    """The flywheel year by year: one row per year, money in RMB bn (nominal, undiscounted).

    For year t = 0 .. years-1 (calendar year flywheel_start_year + t):

        ad_revenue_t = domestic_ad_revenue_rmb_bn(..., years_after_base = start + t - 2024)
        matched_t    = matched_ad_share(users_t, audience, live_intent_fraction, ...)
        extra_t      = ad_revenue_t x matched_t x yield_uplift
        cost_t       = serving x users_t / users_0 x (1 - cost decline)^t
                       x (1 + tokens-per-user growth)^t
                       + app_other_costs + intent_products_annual_cost
        (serving: `app_serving_cost_rmb_bn`, from token economics)
        net_t        = extra_t - cost_t;  cumulative_t = net_0 + ... + net_t
        users_t+1    = next_year_users_m(users_t, audience, growth, growth_from_funding,
                                         extra_t / cost_t)

    Parameters
    ----------
    inputs : FlywheelInputs
        One float per field (use `headline` for Monte Carlo arrays); units in
        `FlywheelInputs` and data/parameters/flywheel.yaml.
    app_serving_cost_rmb_bn : float [RMB bn per year]
        The app's first-year serving cost
        (`tokens.economics(...).app_annual_serving_cost_rmb_bn`).
    years : int [years], optional
        Years simulated; defaults to inputs.flywheel_years.

    Returns
    -------
    pandas.DataFrame
        One row per year, columns: year [calendar year, int]; doubao_mau_m [M monthly
        active users]; queries_bn, intent_signals_bn [bn per year]; matched_ad_share
        [fraction of domestic ad revenue]; ad_revenue_rmb_bn, extra_ad_revenue_rmb_bn,
        app_cost_rmb_bn, net_rmb_bn [RMB bn per year]; cumulative_net_rmb_bn [RMB bn].

    Raises
    ------
    ModelInputError
        If any input is an array, or the years are not whole numbers.

    References
    ----------
    .. [1] Seed 004 (claims S4-03, S4-05, S4-06); seed notes section 3 items 20-22.

    Examples
    --------
    At the registry's defaults with a first-year serving cost of 5 RMB bn:

    >>> from analysis.inputs import registry
    >>> inputs = FlywheelInputs.from_params(registry.registry().defaults())
    >>> frame = simulate_flywheel(inputs, 5.0, years=3)
    >>> frame["year"].tolist()
    [2026, 2027, 2028]
    >>> frame["app_cost_rmb_bn"].round(1).tolist(), round(float(frame["cumulative_net_rmb_bn"].iloc[-1]), 1)
    ([18.0, 18.3, 18.6], -47.5)
    """
    for name, value in (*((n, getattr(inputs, n)) for n in inputs.names()),
                        ("app_serving_cost_rmb_bn", app_serving_cost_rmb_bn)):
        if np.ndim(value) != 0:
            raise ModelInputError(f"simulate_flywheel takes one float per parameter, got an array for "
                             f"'{name}'; use headline() for Monte Carlo arrays")
    run = _run(inputs, app_serving_cost_rmb_bn, years)
    frame = pd.DataFrame({c: np.asarray(run[c], dtype=float) for c in SIMULATION_COLUMNS})
    frame["year"] = frame["year"].astype(int)
    return frame


# --------------------------------------------------------------------------- headline numbers

@dataclass(frozen=True, eq=False)
class FlywheelHeadline(Outputs):
    """The chapter's headline numbers: the outputs of `headline` (which lists each with its unit).

    Floats or arrays, units in names. Also a read-only mapping of field name -> value,
    for `uncertainty.simulate` and `tornado`.
    """

    breakeven_yield_uplift: Numeric
    breakeven_yield_uplift_final_year: Numeric
    breakeven_uplift_on_all_ad_revenue: Numeric
    extra_ad_revenue_rmb_bn: Numeric
    app_cost_rmb_bn: Numeric
    app_cost_usd_bn: Numeric
    net_rmb_bn: Numeric
    app_cost_share_of_ad_revenue: Numeric
    app_cost_share_of_revenue: Numeric
    app_cost_per_user_rmb: Numeric
    ad_revenue_per_audience_user_rmb: Numeric
    matched_ad_share: Numeric
    live_intent_fraction: Numeric
    intent_signals_bn: Numeric
    cumulative_net_rmb_bn: Numeric
    final_year_net_rmb_bn: Numeric
    final_doubao_mau_m: Numeric
    years_net_positive: Numeric
    app_serving_cost_rmb_bn: Numeric
    app_fixed_costs_rmb_bn: Numeric
    seed_burn_rmb_bn: Numeric
    modelled_cost_share_of_seed_burn: Numeric


def headline(inputs: FlywheelInputs, traffic: tokens.TokenEconomics) -> FlywheelHeadline:
    """The chapter's headline numbers, vectorized for the tornado and the Monte Carlo.

    Runs the yearly flywheel of `simulate_flywheel` on floats or arrays. First-year
    figures are for flywheel_start_year; cumulative ones run over flywheel_years.
    The break-even uplift is `breakeven_yield_uplift`:
    cost / (domestic ad revenue x matched share).

    Parameters
    ----------
    inputs : FlywheelInputs
        Floats or equal-length numpy arrays (flywheel_years and flywheel_start_year
        must be one whole number); units in `FlywheelInputs`.
    traffic : tokens.TokenEconomics
        `tokens.economics` of the same draws, whose app_annual_serving_cost_rmb_bn
        is the first year's serving cost.

    Returns
    -------
    FlywheelHeadline
        Floats or arrays:

        - breakeven_yield_uplift [relative yield change]: first-year uplift on the
          matched impressions at which extra ad revenue equals the app's cost plus
          other intent costs; breakeven_yield_uplift_final_year: the same in the last year.
        - breakeven_uplift_on_all_ad_revenue [relative yield change]: cost / domestic
          ad revenue, the uplift needed if every domestic ad were lifted (seed notes
          section 3 item 20).
        - extra_ad_revenue_rmb_bn, app_cost_rmb_bn, net_rmb_bn [RMB bn per year]:
          first year; app_cost_usd_bn [USD bn per year].
        - app_cost_share_of_ad_revenue, app_cost_share_of_revenue [fraction] (whole
          group, both in the first year; group revenue grown at the ad growth rate).
        - app_cost_per_user_rmb [RMB per Doubao monthly user per year] and
          ad_revenue_per_audience_user_rmb [RMB per audience user per year]:
          break-even needs a Doubao user's ads to earn the first more, i.e. an
          uplift of their ratio on all of that user's ads.
        - matched_ad_share, live_intent_fraction [fraction]; intent_signals_bn
          [bn per year] (first year).
        - cumulative_net_rmb_bn [RMB bn], final_year_net_rmb_bn [RMB bn per year],
          final_doubao_mau_m [M monthly active users], years_net_positive [years
          with net >= 0].
        - app_serving_cost_rmb_bn and app_fixed_costs_rmb_bn [RMB bn per year]: the
          two parts of the first year's app cost; seed_burn_rmb_bn [RMB bn per year]
          (app_burn_rmb_bn, claim S4-03) and modelled_cost_share_of_seed_burn
          = app_cost_rmb_bn / seed_burn_rmb_bn [ratio], the comparison with the
          seed's "several tens of billions" (not an input).

    References
    ----------
    .. [1] Seed 004 (claims S4-03, S4-05, S4-06); seed notes section 3 items 20-22.

    Examples
    --------
    At the registry's default parameter values:

    >>> from analysis.inputs import registry
    >>> from analysis.models import chain
    >>> p = registry.registry().defaults()
    >>> h = headline(FlywheelInputs.from_params(p), chain.evaluate(p, "traffic").traffic)
    >>> round(float(h.breakeven_yield_uplift), 3), round(float(h.app_cost_rmb_bn), 1)
    (0.205, 13.6)
    >>> round(float(h.cumulative_net_rmb_bn), 1), float(h.years_net_positive)
    (-52.4, 0.0)
    """
    serving = traffic.app_annual_serving_cost_rmb_bn
    run = _run(inputs, serving)
    first = {k: v[0] for k, v in run.items()}
    last = {k: v[-1] for k, v in run.items()}
    usd = inputs.rmb_per_usd
    revenue_rmb_bn = (inputs.revenue_2024_usd_bn * usd
                      * (1 + inputs.ad_revenue_growth_per_year) ** (first["year"] - REVENUE_BASE_YEAR))
    cost, ad_revenue = first["app_cost_rmb_bn"], first["ad_revenue_rmb_bn"]
    live = live_intent_fraction(inputs.queries_per_user_per_day, inputs.commercial_intent_share,
                                inputs.intent_signal_lifetime_days,
                                inputs.intent_category_match_share)
    nets = np.asarray(np.broadcast_arrays(*[np.asarray(n, dtype=float) for n in run["net_rmb_bn"]]))
    fixed = fixed_app_costs_rmb_bn(inputs)
    burn = inputs.app_burn_rmb_bn
    _positive("app_burn_rmb_bn", burn)
    return FlywheelHeadline(
        breakeven_yield_uplift=breakeven_yield_uplift(cost, ad_revenue, first["matched_ad_share"]),
        breakeven_yield_uplift_final_year=breakeven_yield_uplift(
            last["app_cost_rmb_bn"], last["ad_revenue_rmb_bn"], last["matched_ad_share"]),
        breakeven_uplift_on_all_ad_revenue=breakeven_yield_uplift(cost, ad_revenue, 1.0),
        extra_ad_revenue_rmb_bn=first["extra_ad_revenue_rmb_bn"],
        app_cost_rmb_bn=cost,
        app_cost_usd_bn=cost / usd,
        net_rmb_bn=first["net_rmb_bn"],
        app_cost_share_of_ad_revenue=cost / ad_revenue,
        app_cost_share_of_revenue=cost / revenue_rmb_bn,
        app_cost_per_user_rmb=cost * RMB_PER_BN / (first["doubao_mau_m"] * COUNT_PER_M),
        ad_revenue_per_audience_user_rmb=ad_revenue * RMB_PER_BN / (inputs.ad_audience_mau_m * COUNT_PER_M),
        matched_ad_share=first["matched_ad_share"],
        live_intent_fraction=live,
        intent_signals_bn=first["intent_signals_bn"],
        cumulative_net_rmb_bn=last["cumulative_net_rmb_bn"],
        final_year_net_rmb_bn=last["net_rmb_bn"],
        final_doubao_mau_m=last["doubao_mau_m"],
        years_net_positive=np.sum(nets >= 0, axis=0).astype(float),
        app_serving_cost_rmb_bn=cost - fixed,
        app_fixed_costs_rmb_bn=fixed + 0 * cost,
        seed_burn_rmb_bn=burn + 0 * cost,
        modelled_cost_share_of_seed_burn=cost / burn,
    )


def cost_per_token_cases(gpu_cost_cut_share) -> dict[str, float]:
    """The costs per token the break-even chart compares, as multiples of today's, by label.

    before the claimed cut = 1 / (1 - cut); today = 1; half of today = 0.5; a second cut = 1 - cut.

    Keyed by label, never by factor: at a cut of 0.5 "half of today" and "a second cut" share
    the factor 0.5, and both lines must still be drawn.

    Parameters
    ----------
    gpu_cost_cut_share : float [fraction, in [0, 1)]
        The claimed cut in GPU cost per token.

    Returns
    -------
    dict of str -> float [ratio to today's cost per token]
        Keys "before the claimed cut", "today", "half of today", "a second cut".

    References
    ----------
    .. [1] Claims S1-05, S1-06 (the cut).

    Examples
    --------
    >>> cost_per_token_cases(0.5)["a second cut"], cost_per_token_cases(0.5)["half of today"]
    (0.5, 0.5)
    >>> {k: round(v, 6) for k, v in cost_per_token_cases(0.8).items()}
    {'before the claimed cut': 5.0, 'today': 1.0, 'half of today': 0.5, 'a second cut': 0.2}
    """
    _require("gpu_cost_cut_share", gpu_cost_cut_share, lambda a: (a >= 0) & (a < 1), "a fraction in [0, 1)")
    cut = float(gpu_cost_cut_share)
    return {"before the claimed cut": 1 / (1 - cut), "today": 1.0, "half of today": 0.5, "a second cut": 1 - cut}


def breakeven_grid(inputs: FlywheelInputs, app_serving_cost_rmb_bn, users_m: Iterable[float],
                   cost_per_token_factors: Iterable[float] | Mapping[str, float],
                   commercial_intent_shares: Iterable[float] | None = None) -> pd.DataFrame:
    """First-year break-even uplift over a grid of users x cost per token (x intent share), tidy.

    For each combination, the app's cost scales with users and cost per token
    (`app_cost_rmb_bn`: the token-economics serving cost at doubao_mau_m, scaled, plus
    the fixed costs `fixed_app_costs_rmb_bn`), the matched share with users and
    intent share (`matched_ad_share`), and

        breakeven = cost / (domestic ad revenue x matched share).

    Parameters
    ----------
    inputs : FlywheelInputs
        Floats; every input the grid does not vary.
    app_serving_cost_rmb_bn : float [RMB bn per year]
        The app's serving cost at inputs.doubao_mau_m.
    users_m : iterable of float [M monthly active users]
    cost_per_token_factors : iterable of float, or mapping of label -> float [ratio to today's cost per token]
        0.2 is the 80% cut of claims S1-05 and S1-06. Given as a mapping
        (`cost_per_token_cases`), each row also names its case, so equal factors
        stay apart.
    commercial_intent_shares : iterable of float [fraction of queries], optional
        Defaults to inputs.commercial_intent_share alone.

    Returns
    -------
    pandas.DataFrame
        One row per combination: doubao_mau_m [M monthly active users],
        cost_per_token_factor [ratio], commercial_intent_share [fraction],
        app_cost_rmb_bn [RMB bn per year], matched_ad_share [fraction],
        breakeven_yield_uplift [relative yield change] (and cost_per_token_case [label]
        when the factors are a mapping).

    References
    ----------
    As `breakeven_yield_uplift`.

    Examples
    --------
    >>> from analysis.inputs import registry
    >>> inputs = FlywheelInputs.from_params(registry.registry().defaults())
    >>> grid = breakeven_grid(inputs, 5.0, [100.0, 200.0], {"today": 1.0, "a second cut": 0.2})
    >>> grid["cost_per_token_case"].tolist(), grid["app_cost_rmb_bn"].round(1).tolist()
    (['today', 'a second cut', 'today', 'a second cut'], [15.5, 13.5, 18.0, 14.0])
    >>> grid["breakeven_yield_uplift"].round(3).tolist()
    [0.364, 0.317, 0.271, 0.211]
    """
    intent = [inputs.commercial_intent_share] if commercial_intent_shares is None else commercial_intent_shares
    cases = dict(cost_per_token_factors) if isinstance(cost_per_token_factors, Mapping) else None
    factors = np.asarray(list(cases.values() if cases else cost_per_token_factors), dtype=float)
    u, k, c = (a.ravel() for a in np.meshgrid(np.asarray(list(users_m), dtype=float), np.arange(factors.size),
                                             np.asarray(list(intent), dtype=float), indexing="ij"))
    f = factors[k]
    start = _whole("flywheel_start_year", inputs.flywheel_start_year, REVENUE_BASE_YEAR)
    ad_revenue = domestic_ad_revenue_rmb_bn(
        inputs.revenue_2024_usd_bn, inputs.rmb_per_usd, inputs.ad_share_of_revenue,
        inputs.domestic_share_of_revenue, inputs.ad_revenue_growth_per_year,
        start - REVENUE_BASE_YEAR)
    live = live_intent_fraction(inputs.queries_per_user_per_day, c,
                                inputs.intent_signal_lifetime_days, inputs.intent_category_match_share)
    matched = matched_ad_share(u, inputs.ad_audience_mau_m, live, inputs.affected_ad_share,
                               inputs.intent_spillover_share)
    cost = app_cost_rmb_bn(app_serving_cost_rmb_bn, u, inputs.doubao_mau_m, f,
                           1.0, fixed_app_costs_rmb_bn(inputs))
    grid = pd.DataFrame({
        "doubao_mau_m": u,
        "cost_per_token_factor": f,
        "commercial_intent_share": c,
        "app_cost_rmb_bn": cost,
        "matched_ad_share": matched,
        "breakeven_yield_uplift": breakeven_yield_uplift(cost, ad_revenue, matched),
    })
    if cases:
        grid["cost_per_token_case"] = np.asarray(list(cases), dtype=object)[k]
    return grid

