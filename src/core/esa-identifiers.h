#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Identifiers of people, companies and payments, with their check rules
 * (DOMAIN.md "Identifiers" and "Payment slips"). */

typedef enum
{
  ESA_ID_CODICE_FISCALE,   /* "cf": Italian tax code of a person, 16 chars, omocodia accepted */
  ESA_ID_PARTITA_IVA,      /* "piva": Italian VAT number, 11 digits (also a company's tax code) */
  ESA_ID_AHV,              /* "ahv": Swiss social security number 756.xxxx.xxxx.xc */
  ESA_ID_UID,              /* "uid": Swiss business id CHE-xxx.xxx.xxc */
  ESA_ID_IBAN,             /* "iban": ISO 13616; Italian IBANs also check the CIN */
  ESA_ID_PAGOPA_NOTICE,    /* "avviso": 18-digit pagoPA notice number */
  ESA_ID_QR_REFERENCE,     /* "qrr": Swiss 27-digit QR reference */
  ESA_N_ID_KINDS
} EsaIdKind;

/* "cf", "piva", … as above; FALSE for an unknown name. */
gboolean    esa_id_kind_from_string (const char *name,
                                     EsaIdKind  *out);
const char *esa_id_kind_to_string   (EsaIdKind   kind);
/* A translated human name: "tax code", "VAT number", … */
const char *esa_id_kind_describe    (EsaIdKind   kind);

/**
 * esa_id_validate:
 * @value: what a person typed; spaces, dots and dashes where the printed form
 *   has them are accepted, lower case letters too
 * @normalized: (out) (optional) (transfer full): the canonical stored form
 *   (upper case, no separators; AHV as 13 digits, UID as CHE + 9 digits)
 * @error: ESA_CORE_ERROR_INVALID with a reason a person understands, naming the
 *   value ("tax code RSSMRA85T10A562T has a wrong check character: expected S")
 */
gboolean    esa_id_validate         (EsaIdKind    kind,
                                     const char  *value,
                                     char       **normalized,
                                     GError     **error);

/* Printed forms: AHV "756.9217.0769.85", UID "CHE-116.281.710", IBAN and pagoPA
 * notice grouped by 4, QR reference grouped 2 + 5×5. Returns: (transfer full) */
char       *esa_id_format           (EsaIdKind    kind,
                                     const char  *normalized);

/* Builders used by the demo generator and the slip generator. All return
 * (transfer full) valid, normalized identifiers. */

/* @surname, @given: letters only (accents folded by the caller); @sex 'M' or 'F';
 * @birth: date of birth; @place: 4-char cadastral code such as "A562". */
char       *esa_codice_fiscale_compose (const char  *surname,
                                        const char  *given,
                                        char         sex,
                                        const GDate *birth,
                                        const char  *place);
/* @body: the first 10 digits; returns the 11-digit number. */
char       *esa_partita_iva_compose    (const char  *body10);
/* @body: the 9 digits after 756 and before the check digit. */
char       *esa_ahv_compose            (const char  *body9);
/* @body: 8 digits; NULL when the check would be 10 (no valid UID for it). */
char       *esa_uid_compose            (const char  *body8);
/* @country "IT"/"CH", @bban: the national part (for IT without the CIN: ABI 5 + CAB 5 + account 12). */
char       *esa_iban_compose           (const char  *country,
                                        const char  *bban);
/* @aux: 0..3; @code: 2 digits (segregation or application code); @base: 13 digits.
 * The check digits are (aux + code + base) mod 93, also for aux 1 and 2, where the
 * code is just the start of the IUV. */
char       *esa_pagopa_notice_compose  (guint        aux,
                                        const char  *code,
                                        const char  *base);
/* @digits26: the first 26 digits; returns the 27-digit reference. */
char       *esa_qr_reference_compose   (const char  *digits26);

/* The IUV inside a notice number, as payment flows report it: the 15 digits
 * after the aux digit and the application code for aux digit 0, the 17 digits
 * after the aux digit otherwise (with aux digit 3 the segregation code is part
 * of the IUV). Returns: (transfer full) */
char       *esa_pagopa_notice_iuv      (const char  *notice18);

/* TRUE for a Swiss or Liechtenstein QR-IBAN (institution id, characters 5–9,
 * from 30000 to 31999): the only accounts that take a QR reference (QRR). */
gboolean    esa_iban_is_qr_iban        (const char  *normalized);

G_END_DECLS
