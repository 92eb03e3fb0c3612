#pragma once

#include "esa-parameters.h"

G_BEGIN_DECLS

/* Legal rules computed from parameter tables. No figure of the law is in
 * this code: every rate, fee, band, threshold and number of days comes from
 * the tables named below (the files in data/parameters/), looked up for the date
 * that matters and the creditor body (@body_id, NULL for the common value).
 * Amounts are gint64 minor units in the table's currency; rates are parts
 * per million (1.25% = 12500); every rounding is half-up to the cent, once,
 * at the end, over exact integer arithmetic.
 *
 * Every function returns FALSE with @error set when a table is missing or
 * has no value for the date (ESA_CORE_ERROR_INVALID or _RANGE) or when an
 * argument is out of range (ESA_CORE_ERROR_RANGE). */

/**
 * esa_rules_interest:
 * @regime: "it" (legal interest, art. 1284 c.c.) or "ch" (default
 *   interest, art. 104 CO); the tables "<regime>.interest.rate" (ppm) and
 *   "<regime>.interest.day_count" ("actual/365" or "actual/actual")
 * @principal_minor: 0 or more
 * @from: the day interest starts from (it earns nothing itself)
 * @to: the last day that earns interest; not before @from
 * @out_minor: (out): the interest
 *
 * Interest accrues day by day for the days after @from up to and including
 * @to, each day at the rate valid on that day: with "actual/365" a day earns
 * rate/365 of the principal, with "actual/actual" rate/365 or rate/366 by the
 * length of its year. The exact sum is rounded once.
 */
gboolean esa_rules_interest                (EsaParameters *params,
                                            const char    *regime,
                                            gint64         principal_minor,
                                            const GDate   *from,
                                            const GDate   *to,
                                            const char    *body_id,
                                            gint64        *out_minor,
                                            GError       **error);

/**
 * esa_rules_ch_payment_order_fee:
 * @claim_minor: the claim in Rappen
 * @date: when the payment order is issued
 * @out_fee: (out): the fee of the band the claim falls in
 *   ("ch.payment_order.fee", GebV SchKG art. 16)
 */
gboolean esa_rules_ch_payment_order_fee    (EsaParameters *params,
                                            gint64         claim_minor,
                                            const GDate   *date,
                                            const char    *body_id,
                                            gint64        *out_fee,
                                            GError       **error);

/* The fee plus "ch.payment_order.delivery_fee" for each delivery attempt. */
gboolean esa_rules_ch_payment_order_costs  (EsaParameters *params,
                                            gint64         claim_minor,
                                            guint          delivery_attempts,
                                            const GDate   *date,
                                            const char    *body_id,
                                            gint64        *out_costs,
                                            GError       **error);

/* The amount of a flat fee table ("it.notification.fee", "ch.extract.fee"). */
gboolean esa_rules_flat_fee                (EsaParameters *params,
                                            const char    *table,
                                            const GDate   *date,
                                            const char    *body_id,
                                            gint64        *out_fee,
                                            GError       **error);

/**
 * esa_rules_it_collection_charge:
 * @due_minor: the sums due
 * @executable_on: the day the title became enforceable
 * @paid_on: the day of payment
 * @out_charge: (out): the collection charge ("it.collection_charge":
 *   a rate up to a cap when paid within a number of days, another rate and
 *   cap after; L. 160/2019 c. 803)
 */
gboolean esa_rules_it_collection_charge    (EsaParameters *params,
                                            gint64         due_minor,
                                            const GDate   *executable_on,
                                            const GDate   *paid_on,
                                            const char    *body_id,
                                            gint64        *out_charge,
                                            GError       **error);

/**
 * esa_rules_it_instalments:
 * @amount_minor: the debt to spread
 * @out_min: (out): the fewest monthly instalments allowed (0: no plan)
 * @out_max: (out): the most
 *
 * The band of "it.instalment.bands" the debt falls in (the default scheme of
 * L. 160/2019 c. 796 unless the body has its own).
 */
gboolean esa_rules_it_instalments          (EsaParameters *params,
                                            gint64         amount_minor,
                                            const GDate   *date,
                                            const char    *body_id,
                                            guint         *out_min,
                                            guint         *out_max,
                                            GError       **error);

/**
 * esa_rules_it_plan_lapsed:
 * @missed_due_dates: (array length=n_missed): the due dates of the
 *   instalments not paid after a reminder, in any order
 * @today: dates after it are ignored
 * @out_lapsed: (out): whether the plan has lapsed
 *
 * "it.instalment.lapse" gives "missed" and "months": the plan lapses when
 * that many missed instalments, consecutive or not, fall within that many
 * months (the last one on or before the day as many months after the first).
 */
gboolean esa_rules_it_plan_lapsed          (EsaParameters *params,
                                            const GDate   *missed_due_dates,
                                            gsize          n_missed,
                                            const GDate   *today,
                                            const char    *body_id,
                                            gboolean      *out_lapsed,
                                            GError       **error);

/**
 * esa_rules_it_garnish_quota:
 * @net_monthly_minor: the net monthly wage or pension
 * @out_quota: (out): the part that can be garnished each month: the
 *   fraction of the band of "it.garnishment.wage_quota" the wage falls in
 *   (art. 72-ter DPR 602/1973), applied to the whole wage
 */
gboolean esa_rules_it_garnish_quota        (EsaParameters *params,
                                            gint64         net_monthly_minor,
                                            const GDate   *date,
                                            const char    *body_id,
                                            gint64        *out_quota,
                                            GError       **error);

/**
 * esa_rules_it_mortgage:
 * @out_allowed: (out): the debt reaches "it.mortgage.min_debt"
 * @out_registered_minor: (out) (optional): the amount the mortgage is
 *   registered for: the debt times "it.mortgage.multiple"
 */
gboolean esa_rules_it_mortgage             (EsaParameters *params,
                                            gint64         debt_minor,
                                            const GDate   *date,
                                            const char    *body_id,
                                            gboolean      *out_allowed,
                                            gint64        *out_registered_minor,
                                            GError       **error);

/* The last day enforcement can start on the order notified on @notified_on
 * without renewing it: "it.order.renewal_days" later. */
gboolean esa_rules_it_order_renewal_due    (EsaParameters *params,
                                            const GDate   *notified_on,
                                            const char    *body_id,
                                            GDate         *out_last_day,
                                            GError       **error);

/* The last day to oppose a payment order served on @served_on:
 * "ch.opposition.days" later, counted in the calendar named by
 * "ch.deadline.calendar" (enforcement holidays, art. 63 SchKG). */
gboolean esa_rules_ch_opposition_deadline  (EsaParameters *params,
                                            const GDate   *served_on,
                                            const char    *body_id,
                                            GDate         *out_last_day,
                                            GError       **error);

/* The first and the last day a continuation can be requested (art. 88
 * SchKG): "ch.continuation.earliest_days" and "ch.continuation.lapse_days"
 * after service. */
gboolean esa_rules_ch_continuation_window  (EsaParameters *params,
                                            const GDate   *served_on,
                                            const char    *body_id,
                                            GDate         *out_first,
                                            GDate         *out_last,
                                            GError       **error);

/* What the register says about one proceeding, for art. 8a SchKG. */
typedef struct
{
  gboolean void_or_annulled;     /* para. 3 a: void, or annulled on complaint or judgment */
  gboolean restitution_granted;  /* para. 3 b: the debtor won an action for restitution */
  gboolean withdrawn;            /* para. 3 c: the creditor withdrew the enforcement */
  gboolean hidden_on_request;    /* para. 3 d: the office granted the debtor's request */
  GDate    ended_on;             /* the end of the proceeding; invalid while it runs */
} EsaExtractFacts;

/**
 * esa_rules_ch_extract_shows:
 * @out_shown: (out): whether a third party's extract shows the proceeding
 * @out_reason: (out) (optional) (transfer full): when not shown, why, as a
 *   sentence for people; NULL when shown
 *
 * A proceeding is left out of an extract for third parties in the cases of
 * art. 8a para. 3, and once "ch.extract.consultation_years" have passed
 * since its end (para. 4).
 */
gboolean esa_rules_ch_extract_shows        (EsaParameters         *params,
                                            const EsaExtractFacts *facts,
                                            const GDate           *today,
                                            const char            *body_id,
                                            gboolean              *out_shown,
                                            char                 **out_reason,
                                            GError               **error);

G_END_DECLS
