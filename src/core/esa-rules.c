#include "esa-rules.h"
#include "esa-core-error.h"
#include "esa-date.h"
#include "esa-money.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Interest is summed exactly as a fraction before the one rounding; the
 * numerator of ten thousand years of a large principal needs more than 64
 * bits. */
__extension__ typedef __int128 Wide;

#define PPM 1000000

/* Half-up rounding of @num / @den for @num >= 0 and @den > 0. */
static Wide
round_half_up (Wide num,
               Wide den)
{
  return (num + den / 2) / den;
}

static gboolean
to_minor (Wide     value,
          gint64  *out,
          GError **error)
{
  if (value > G_MAXINT64)
    {
      g_set_error_literal (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE,
                           _("the result is too large for an amount"));
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

static gboolean
check_not_negative (gint64    amount,
                    GError  **error)
{
  if (amount < 0)
    {
      g_autofree char *text = esa_money_to_decimal (amount);

      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE,
                   _("the amount %s is negative"), text);
      return FALSE;
    }
  return TRUE;
}

/* A whole-number member of a band or object value. */
static gboolean
member_int (JsonObject  *object,
            const char  *table,
            const char  *member,
            gint64      *out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” has no whole number “%s”"), table, member);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

/* The band of a "bands" table that @amount falls in: the first whose
 * "up_to" is at least @amount, or the open last one. */
static JsonObject *
find_band (EsaParameters  *params,
           const char     *table,
           gint64          amount,
           const GDate    *date,
           const char     *body_id,
           GError        **error)
{
  JsonNode *value = esa_parameters_lookup (params, table, date, body_id, NULL, error);
  JsonArray *bands;

  if (value == NULL)
    return NULL;

  if (g_strcmp0 (esa_parameters_get_unit (params, table), "bands") != 0)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” does not hold bands"), table);
      return NULL;
    }

  bands = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (bands); i++)
    {
      JsonObject *band = json_array_get_object_element (bands, i);
      JsonNode *up_to = json_object_get_member (band, "up_to");

      if (JSON_NODE_HOLDS_NULL (up_to) || amount <= json_node_get_int (up_to))
        return band;
    }

  g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
               _("the parameter table “%s” has no band for every amount"), table);
  return NULL;
}

static JsonObject *
get_object (EsaParameters  *params,
            const char     *table,
            const GDate    *date,
            const char     *body_id,
            GError        **error)
{
  JsonNode *value = esa_parameters_lookup (params, table, date, body_id, NULL, error);

  if (value == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” does not hold an object"), table);
      return NULL;
    }
  return json_node_get_object (value);
}

/* ---- interest ---------------------------------------------------------- */

static gboolean
day_count_basis (const char  *day_count,
                 const char  *table,
                 guint        year,
                 Wide        *out_basis,
                 GError     **error)
{
  if (g_strcmp0 (day_count, "actual/365") == 0)
    *out_basis = 365;
  else if (g_strcmp0 (day_count, "actual/actual") == 0)
    *out_basis = g_date_is_leap_year ((GDateYear) year) ? 366 : 365;
  else
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” names an unknown day count “%s” "
                     "(known: actual/365, actual/actual)"), table, day_count);
      return FALSE;
    }
  return TRUE;
}

static void
clip (GDate       *end,
      const GDate *limit)
{
  if (g_date_valid (limit) && g_date_compare (limit, end) < 0)
    *end = *limit;
}

gboolean
esa_rules_interest (EsaParameters  *params,
                    const char     *regime,
                    gint64          principal_minor,
                    const GDate    *from,
                    const GDate    *to,
                    const char     *body_id,
                    gint64         *out_minor,
                    GError        **error)
{
  g_autofree char *rate_table = NULL;
  g_autofree char *count_table = NULL;
  /* A common denominator for both day counts: a day earns
   * principal × rate / (10^6 × basis) = principal × rate × (365 × 366 / basis)
   * / (10^6 × 365 × 366). */
  const Wide denominator = (Wide) PPM * 365 * 366;
  Wide numerator = 0;
  GDate day;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (regime != NULL, FALSE);
  g_return_val_if_fail (from != NULL && g_date_valid (from), FALSE);
  g_return_val_if_fail (to != NULL && g_date_valid (to), FALSE);
  g_return_val_if_fail (out_minor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_not_negative (principal_minor, error))
    return FALSE;

  if (g_date_compare (to, from) < 0)
    {
      g_autofree char *a = esa_date_to_iso (from);
      g_autofree char *b = esa_date_to_iso (to);

      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_RANGE,
                   _("interest cannot run from %s back to %s"), a, b);
      return FALSE;
    }

  rate_table = g_strdup_printf ("%s.interest.rate", regime);
  count_table = g_strdup_printf ("%s.interest.day_count", regime);

  /* Periods of equal rate, day count and year, from the first day that earns
   * interest (the day after @from) to @to. */
  day = *from;
  g_date_add_days (&day, 1);
  while (g_date_compare (&day, to) <= 0)
    {
      GDate rate_to, count_to, end;
      JsonNode *rate_node, *count_node;
      Wide basis, days, term;
      gint64 rate;

      rate_node = esa_parameters_lookup (params, rate_table, &day, body_id, &rate_to, error);
      if (rate_node == NULL)
        return FALSE;
      if (g_strcmp0 (esa_parameters_get_unit (params, rate_table), "ppm") != 0)
        {
          g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                       _("the parameter table “%s” must hold rates in ppm"), rate_table);
          return FALSE;
        }
      rate = json_node_get_int (rate_node);
      /* Bounds the exact sum well inside 128 bits. */
      if (rate > 10 * PPM)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, rate);

          g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                       _("the parameter table “%s” holds an implausible rate of %s ppm"),
                       rate_table, text);
          return FALSE;
        }

      count_node = esa_parameters_lookup (params, count_table, &day, body_id, &count_to, error);
      if (count_node == NULL)
        return FALSE;
      if (!day_count_basis (json_node_get_string (count_node), count_table,
                            g_date_get_year (&day), &basis, error))
        return FALSE;

      g_date_clear (&end, 1);
      g_date_set_dmy (&end, 31, G_DATE_DECEMBER, g_date_get_year (&day));
      clip (&end, to);
      clip (&end, &rate_to);
      clip (&end, &count_to);

      days = (Wide) g_date_days_between (&day, &end) + 1;
      term = (Wide) principal_minor * rate * days * (365 * 366 / basis);
      numerator += term;

      day = end;
      g_date_add_days (&day, 1);
    }

  return to_minor (round_half_up (numerator, denominator), out_minor, error);
}

/* ---- fees -------------------------------------------------------------- */

gboolean
esa_rules_ch_payment_order_fee (EsaParameters  *params,
                                gint64          claim_minor,
                                const GDate    *date,
                                const char     *body_id,
                                gint64         *out_fee,
                                GError        **error)
{
  JsonObject *band;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (out_fee != NULL, FALSE);

  if (!check_not_negative (claim_minor, error))
    return FALSE;

  band = find_band (params, "ch.payment_order.fee", claim_minor, date, body_id, error);
  return band != NULL && member_int (band, "ch.payment_order.fee", "fee", out_fee, error);
}

gboolean
esa_rules_flat_fee (EsaParameters  *params,
                    const char     *table,
                    const GDate    *date,
                    const char     *body_id,
                    gint64         *out_fee,
                    GError        **error)
{
  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  if (esa_parameters_has_table (params, table)
      && g_strcmp0 (esa_parameters_get_unit (params, table), "minor") != 0)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” does not hold an amount"), table);
      return FALSE;
    }
  return esa_parameters_get_int (params, table, date, body_id, out_fee, error);
}

gboolean
esa_rules_ch_payment_order_costs (EsaParameters  *params,
                                  gint64          claim_minor,
                                  guint           delivery_attempts,
                                  const GDate    *date,
                                  const char     *body_id,
                                  gint64         *out_costs,
                                  GError        **error)
{
  gint64 fee, delivery;

  if (!esa_rules_ch_payment_order_fee (params, claim_minor, date, body_id, &fee, error)
      || !esa_rules_flat_fee (params, "ch.payment_order.delivery_fee", date, body_id,
                              &delivery, error))
    return FALSE;

  return to_minor ((Wide) fee + (Wide) delivery * delivery_attempts, out_costs, error);
}

gboolean
esa_rules_it_collection_charge (EsaParameters  *params,
                                gint64          due_minor,
                                const GDate    *executable_on,
                                const GDate    *paid_on,
                                const char     *body_id,
                                gint64         *out_charge,
                                GError        **error)
{
  const char *table = "it.collection_charge";
  gint64 early_days, ppm, cap;
  gboolean early;
  JsonObject *rule;
  Wide charge;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (executable_on != NULL && g_date_valid (executable_on), FALSE);
  g_return_val_if_fail (paid_on != NULL && g_date_valid (paid_on), FALSE);
  g_return_val_if_fail (out_charge != NULL, FALSE);

  if (!check_not_negative (due_minor, error))
    return FALSE;

  rule = get_object (params, table, executable_on, body_id, error);
  if (rule == NULL || !member_int (rule, table, "early_days", &early_days, error))
    return FALSE;

  early = g_date_days_between (executable_on, paid_on) <= early_days;
  if (!member_int (rule, table, early ? "early_ppm" : "late_ppm", &ppm, error)
      || !member_int (rule, table, early ? "early_cap" : "late_cap", &cap, error))
    return FALSE;

  charge = round_half_up ((Wide) due_minor * ppm, PPM);
  return to_minor (MIN (charge, (Wide) cap), out_charge, error);
}

/* ---- Italian instalments, garnishment, mortgage, renewal ------------------ */

gboolean
esa_rules_it_instalments (EsaParameters  *params,
                          gint64          amount_minor,
                          const GDate    *date,
                          const char     *body_id,
                          guint          *out_min,
                          guint          *out_max,
                          GError        **error)
{
  const char *table = "it.instalment.bands";
  JsonObject *band;
  gint64 min, max;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (out_min != NULL && out_max != NULL, FALSE);

  if (!check_not_negative (amount_minor, error))
    return FALSE;

  band = find_band (params, table, amount_minor, date, body_id, error);
  if (band == NULL
      || !member_int (band, table, "min", &min, error)
      || !member_int (band, table, "max", &max, error))
    return FALSE;

  if (min < 0 || max < min || max > G_MAXUINT)
    {
      g_autofree char *min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” has a band from %s to %s instalments"),
                   table, min_text, max_text);
      return FALSE;
    }

  *out_min = (guint) min;
  *out_max = (guint) max;
  return TRUE;
}

static gint
compare_dates (gconstpointer a,
               gconstpointer b)
{
  return g_date_compare (a, b);
}

gboolean
esa_rules_it_plan_lapsed (EsaParameters  *params,
                          const GDate    *missed_due_dates,
                          gsize           n_missed,
                          const GDate    *today,
                          const char     *body_id,
                          gboolean       *out_lapsed,
                          GError        **error)
{
  const char *table = "it.instalment.lapse";
  g_autoptr(GArray) missed = g_array_new (FALSE, FALSE, sizeof (GDate));
  gint64 count, months;
  JsonObject *rule;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (missed_due_dates != NULL || n_missed == 0, FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);
  g_return_val_if_fail (out_lapsed != NULL, FALSE);

  rule = get_object (params, table, today, body_id, error);
  if (rule == NULL
      || !member_int (rule, table, "missed", &count, error)
      || !member_int (rule, table, "months", &months, error))
    return FALSE;

  if (count < 1 || months < 0 || months > G_MAXUINT)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” needs at least one missed instalment and a "
                     "number of months"), table);
      return FALSE;
    }

  for (gsize i = 0; i < n_missed; i++)
    {
      g_return_val_if_fail (g_date_valid (&missed_due_dates[i]), FALSE);
      if (g_date_compare (&missed_due_dates[i], today) <= 0)
        g_array_append_val (missed, missed_due_dates[i]);
    }
  g_array_sort (missed, compare_dates);

  /* Any run of @count missed instalments, taken in date order, whose last
   * falls within @months of its first. */
  *out_lapsed = FALSE;
  for (guint i = 0; i + (guint) count <= missed->len && !*out_lapsed; i++)
    {
      GDate limit = g_array_index (missed, GDate, i);

      g_date_add_months (&limit, (guint) months);
      if (g_date_compare (&g_array_index (missed, GDate, i + (guint) count - 1), &limit) <= 0)
        *out_lapsed = TRUE;
    }

  return TRUE;
}

gboolean
esa_rules_it_garnish_quota (EsaParameters  *params,
                            gint64          net_monthly_minor,
                            const GDate    *date,
                            const char     *body_id,
                            gint64         *out_quota,
                            GError        **error)
{
  const char *table = "it.garnishment.wage_quota";
  gint64 numerator, denominator;
  JsonObject *band;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (out_quota != NULL, FALSE);

  if (!check_not_negative (net_monthly_minor, error))
    return FALSE;

  band = find_band (params, table, net_monthly_minor, date, body_id, error);
  if (band == NULL
      || !member_int (band, table, "numerator", &numerator, error)
      || !member_int (band, table, "denominator", &denominator, error))
    return FALSE;

  if (numerator < 0 || denominator <= 0 || numerator > denominator)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” has a quota that is not a fraction "
                     "between 0 and 1"), table);
      return FALSE;
    }

  return to_minor (round_half_up ((Wide) net_monthly_minor * numerator, denominator),
                   out_quota, error);
}

gboolean
esa_rules_it_mortgage (EsaParameters  *params,
                       gint64          debt_minor,
                       const GDate    *date,
                       const char     *body_id,
                       gboolean       *out_allowed,
                       gint64         *out_registered_minor,
                       GError        **error)
{
  gint64 threshold, multiple;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (out_allowed != NULL, FALSE);

  if (!check_not_negative (debt_minor, error)
      || !esa_parameters_get_int (params, "it.mortgage.min_debt", date, body_id,
                                  &threshold, error)
      || !esa_parameters_get_int (params, "it.mortgage.multiple", date, body_id,
                                  &multiple, error))
    return FALSE;

  if (out_registered_minor != NULL
      && !to_minor ((Wide) debt_minor * multiple, out_registered_minor, error))
    return FALSE;

  *out_allowed = debt_minor >= threshold;
  return TRUE;
}

/* @start plus the days of a "days" table valid on @start. */
static gboolean
add_table_days (EsaParameters  *params,
                const char     *table,
                const GDate    *start,
                const char     *body_id,
                EsaCalendar    *calendar,
                EsaCounting     counting,
                GDate          *out,
                GError        **error)
{
  gint64 days;

  if (!esa_parameters_get_int (params, table, start, body_id, &days, error))
    return FALSE;

  if (days < 0 || days > G_MAXUINT16)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, days);

      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("the parameter table “%s” holds an implausible %s days"), table, text);
      return FALSE;
    }

  esa_calendar_add_days (calendar, start, (guint) days, counting, out);
  return TRUE;
}

gboolean
esa_rules_it_order_renewal_due (EsaParameters  *params,
                                const GDate    *notified_on,
                                const char     *body_id,
                                GDate          *out_last_day,
                                GError        **error)
{
  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (notified_on != NULL && g_date_valid (notified_on), FALSE);
  g_return_val_if_fail (out_last_day != NULL, FALSE);

  return add_table_days (params, "it.order.renewal_days", notified_on, body_id,
                         NULL, ESA_COUNTING_PLAIN, out_last_day, error);
}

/* ---- Swiss deadlines and the register ----------------------------------- */

gboolean
esa_rules_ch_opposition_deadline (EsaParameters  *params,
                                  const GDate    *served_on,
                                  const char     *body_id,
                                  GDate          *out_last_day,
                                  GError        **error)
{
  const char *calendar_id;
  EsaCalendar *calendar;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (served_on != NULL && g_date_valid (served_on), FALSE);
  g_return_val_if_fail (out_last_day != NULL, FALSE);

  calendar_id = esa_parameters_get_text (params, "ch.deadline.calendar", served_on, body_id,
                                         error);
  if (calendar_id == NULL)
    return FALSE;

  calendar = esa_parameters_get_calendar (params, calendar_id, body_id);
  if (calendar == NULL)
    {
      g_set_error (error, ESA_CORE_ERROR, ESA_CORE_ERROR_INVALID,
                   _("there is no calendar “%s”"), calendar_id);
      return FALSE;
    }

  return add_table_days (params, "ch.opposition.days", served_on, body_id,
                         calendar, ESA_COUNTING_ADJUSTED, out_last_day, error);
}

gboolean
esa_rules_ch_continuation_window (EsaParameters  *params,
                                  const GDate    *served_on,
                                  const char     *body_id,
                                  GDate          *out_first,
                                  GDate          *out_last,
                                  GError        **error)
{
  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (served_on != NULL && g_date_valid (served_on), FALSE);
  g_return_val_if_fail (out_first != NULL && out_last != NULL, FALSE);

  return add_table_days (params, "ch.continuation.earliest_days", served_on, body_id,
                         NULL, ESA_COUNTING_PLAIN, out_first, error)
         && add_table_days (params, "ch.continuation.lapse_days", served_on, body_id,
                            NULL, ESA_COUNTING_PLAIN, out_last, error);
}

gboolean
esa_rules_ch_extract_shows (EsaParameters          *params,
                            const EsaExtractFacts  *facts,
                            const GDate            *today,
                            const char             *body_id,
                            gboolean               *out_shown,
                            char                  **out_reason,
                            GError                **error)
{
  const char *reason = NULL;
  g_autofree char *dated_reason = NULL;

  g_return_val_if_fail (ESA_IS_PARAMETERS (params), FALSE);
  g_return_val_if_fail (facts != NULL, FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);
  g_return_val_if_fail (out_shown != NULL, FALSE);

  if (facts->void_or_annulled)
    reason = _("the proceeding is void or was annulled");
  else if (facts->restitution_granted)
    reason = _("the debtor won an action for restitution");
  else if (facts->withdrawn)
    reason = _("the creditor withdrew the enforcement");
  else if (facts->hidden_on_request)
    reason = _("the office granted the debtor’s request not to disclose it");
  else if (g_date_valid (&facts->ended_on))
    {
      gint64 years;
      GDate limit = facts->ended_on;

      if (!esa_parameters_get_int (params, "ch.extract.consultation_years", today, body_id,
                                   &years, error))
        return FALSE;

      g_date_add_years (&limit, (guint) MIN (years, G_MAXUINT16));
      if (g_date_compare (today, &limit) > 0)
        {
          g_autofree char *ended = esa_date_format (&facts->ended_on);

          dated_reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "it ended on %s, more than %u year ago",
                                                       "it ended on %s, more than %u years ago",
                                                       (gulong) years),
                                          ended, (guint) years);
          reason = dated_reason;
        }
    }

  *out_shown = reason == NULL;
  if (out_reason != NULL)
    *out_reason = g_strdup (reason);
  return TRUE;
}
