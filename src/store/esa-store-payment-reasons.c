/* esa-store-payment-reasons.c: why an imported payment was not applied,
 * stored as a code with its values and worded in the reader's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "esa-store-columnar-private.h"
#include "esa-store-payments-private.h"

/* The note of a payment left unmatched travels to the server and to every
 * replica of the office. Stored as a sentence, it stays in the language of
 * whoever imported the flow; stored as a small JSON object (the reason and
 * its values), each reader words it in its own. A note an officer wrote
 * (parking a payment) is plain text and is shown as it is.
 *
 *   {"reason":"no-position","kind":"iuv","reference":"…","count":0}
 *   {"reason":"cancelled"|"written-off","position":"TARI-2024-1"}
 *   {"reason":"currency","currency":"CHF","position":"…","position_currency":"EUR"}
 *   {"reason":"revoked","outcome":"3"} */

typedef struct
{
  GString *text;
} Reason;

static void
reason_begin (Reason     *reason,
              const char *code)
{
  reason->text = g_string_new ("{\"reason\":");
  _esa_json_append_string (reason->text, code);
}

static void
reason_add (Reason     *reason,
            const char *key,
            const char *value)
{
  g_string_append_c (reason->text, ',');
  _esa_json_append_string (reason->text, key);
  g_string_append_c (reason->text, ':');
  _esa_json_append_string (reason->text, value);
}

static char *
reason_end (Reason *reason)
{
  g_string_append_c (reason->text, '}');
  return g_string_free (reason->text, FALSE);
}

char *
_esa_payment_reason_no_position (EsaPaymentRefKind  kind,
                                 const char        *reference,
                                 guint              n_positions)
{
  Reason reason;

  reason_begin (&reason, "no-position");
  reason_add (&reason, "kind", esa_payment_ref_kind_to_string (kind));
  reason_add (&reason, "reference", reference);
  g_string_append_printf (reason.text, ",\"count\":%u", n_positions);
  return reason_end (&reason);
}

char *
_esa_payment_reason_refused (const PositionRow *position,
                             const char        *currency)
{
  Reason reason;

  if (g_strcmp0 (position->state, "cancelled") == 0)
    reason_begin (&reason, "cancelled");
  else if (g_strcmp0 (position->state, "written_off") == 0)
    reason_begin (&reason, "written-off");
  else if (g_strcmp0 (position->currency, currency) != 0)
    {
      reason_begin (&reason, "currency");
      reason_add (&reason, "currency", currency);
      reason_add (&reason, "position_currency", position->currency);
    }
  else
    return NULL;
  reason_add (&reason, "position", position->reference);
  return reason_end (&reason);
}

char *
_esa_payment_reason_revoked (const char *outcome)
{
  Reason reason;

  reason_begin (&reason, "revoked");
  reason_add (&reason, "outcome", outcome != NULL ? outcome : "3");
  return reason_end (&reason);
}

static char *
describe_no_position (JsonObject *object)
{
  const char *kind = json_object_get_string_member_with_default (object, "kind", NULL);
  const char *reference = json_object_get_string_member_with_default (object, "reference",
                                                                      NULL);
  guint count = (guint) json_object_get_int_member_with_default (object, "count", 0);

  if (count > 1)
    /* Translators: "reference TARI-2024-1 fits 3 positions: an officer must choose" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "reference %s fits %u position: an officer must choose",
                                         "reference %s fits %u positions: an officer must choose",
                                         count),
                            reference != NULL ? reference : "", count);
  if (reference == NULL)
    return g_strdup (_("the payment names no reference and no known debtor"));

  switch (_esa_payment_ref_kind_from_string (kind))
    {
    case ESA_PAYMENT_REF_IUV:
      return g_strdup_printf (_("no position has the IUV %s"), reference);
    case ESA_PAYMENT_REF_NOTICE:
      return g_strdup_printf (_("no position has the notice number %s"), reference);
    case ESA_PAYMENT_REF_QRR:
      return g_strdup_printf (_("no position has the QR reference %s"), reference);
    case ESA_PAYMENT_REF_SCOR:
      return g_strdup_printf (_("no position has the creditor reference %s"), reference);
    case ESA_PAYMENT_REF_OTHER:
    case ESA_PAYMENT_REF_NONE:
    default:
      return g_strdup_printf (_("no position has the reference %s"), reference);
    }
}

static char *
describe (JsonObject *object)
{
  const char *code = json_object_get_string_member_with_default (object, "reason", "");
  const char *position = json_object_get_string_member_with_default (object, "position", "");

  if (g_str_equal (code, "no-position"))
    return describe_no_position (object);
  if (g_str_equal (code, "cancelled"))
    return g_strdup_printf (_("position %s is cancelled: it takes no payments"), position);
  if (g_str_equal (code, "written-off"))
    return g_strdup_printf (_("position %s is written off: it takes no payments"), position);
  if (g_str_equal (code, "currency"))
    /* Translators: "the payment is in CHF, position X in EUR" */
    return g_strdup_printf (_("the payment is in %s, position %s in %s"),
                            json_object_get_string_member_with_default (object, "currency", ""),
                            position,
                            json_object_get_string_member_with_default (object,
                                                                        "position_currency",
                                                                        ""));
  if (g_str_equal (code, "revoked"))
    return g_strdup_printf (_("revoked (outcome %s): recorded, not applied"),
                            json_object_get_string_member_with_default (object, "outcome", "3"));
  return NULL;
}

char *
esa_payment_note_describe (const char *note)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  char *text = NULL;

  if (note == NULL || !g_str_has_prefix (note, "{\"reason\":"))
    return g_strdup (note);

  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, note, -1, NULL))
    {
      root = json_parser_get_root (parser);
      if (JSON_NODE_HOLDS_OBJECT (root))
        text = describe (json_node_get_object (root));
    }
  return text != NULL ? text : g_strdup (note);
}
