#include "esa-config.h"

#include <glib/gi18n-lib.h>

#include "esa-core.h"
#include "esa-search-result.h"

struct _EsaSearchResult
{
  GObject parent_instance;

  char    *debtor_id;
  char    *name;
  char    *tax_id;
  char    *town;
  char    *details;
  gboolean company;
  gboolean deceased;
  gboolean insolvent;
};

G_DEFINE_FINAL_TYPE (EsaSearchResult, esa_search_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEBTOR_ID,
  PROP_NAME,
  PROP_TAX_ID,
  PROP_TOWN,
  PROP_DETAILS,
  PROP_ICON_NAME,
  PROP_COMPANY,
  PROP_DECEASED,
  PROP_INSOLVENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
all_digits (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

char *
esa_format_tax_id (const char *normalized)
{
  gsize len;

  if (normalized == NULL)
    return g_strdup ("");

  len = strlen (normalized);
  if (len == 16)
    return esa_id_format (ESA_ID_CODICE_FISCALE, normalized);
  if (len == 11 && all_digits (normalized))
    return esa_id_format (ESA_ID_PARTITA_IVA, normalized);
  if (len == 13 && g_str_has_prefix (normalized, "756") && all_digits (normalized))
    return esa_id_format (ESA_ID_AHV, normalized);
  if (len == 12 && g_str_has_prefix (normalized, "CHE") && all_digits (normalized + 3))
    return esa_id_format (ESA_ID_UID, normalized);

  return g_strdup (normalized);
}

static void
esa_search_result_finalize (GObject *object)
{
  EsaSearchResult *self = ESA_SEARCH_RESULT (object);

  g_free (self->debtor_id);
  g_free (self->name);
  g_free (self->tax_id);
  g_free (self->town);
  g_free (self->details);

  G_OBJECT_CLASS (esa_search_result_parent_class)->finalize (object);
}

static void
esa_search_result_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EsaSearchResult *self = ESA_SEARCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_DEBTOR_ID:
      g_value_set_string (value, self->debtor_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TAX_ID:
      g_value_set_string (value, self->tax_id);
      break;
    case PROP_TOWN:
      g_value_set_string (value, self->town);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value,
                          self->company ? "esa-company-symbolic" : "avatar-default-symbolic");
      break;
    case PROP_COMPANY:
      g_value_set_boolean (value, self->company);
      break;
    case PROP_DECEASED:
      g_value_set_boolean (value, self->deceased);
      break;
    case PROP_INSOLVENT:
      g_value_set_boolean (value, self->insolvent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esa_search_result_class_init (EsaSearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esa_search_result_finalize;
  object_class->get_property = esa_search_result_get_property;

  properties[PROP_DEBTOR_ID] = g_param_spec_string ("debtor-id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_TAX_ID] = g_param_spec_string ("tax-id", NULL, NULL, NULL, flags);
  properties[PROP_TOWN] = g_param_spec_string ("town", NULL, NULL, NULL, flags);
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, flags);
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, flags);
  properties[PROP_COMPANY] = g_param_spec_boolean ("company", NULL, NULL, FALSE, flags);
  properties[PROP_DECEASED] = g_param_spec_boolean ("deceased", NULL, NULL, FALSE, flags);
  properties[PROP_INSOLVENT] = g_param_spec_boolean ("insolvent", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esa_search_result_init (EsaSearchResult *self)
{
}

EsaSearchResult *
esa_search_result_new (const EsaSearchHit *hit)
{
  EsaSearchResult *self;

  g_return_val_if_fail (hit != NULL, NULL);

  self = g_object_new (ESA_TYPE_SEARCH_RESULT, NULL);
  self->debtor_id = g_strdup (hit->debtor_id);
  self->name = g_strdup (hit->name);
  self->tax_id = esa_format_tax_id (hit->tax_id);
  self->town = g_strdup (hit->town != NULL ? hit->town : "");
  self->company = hit->kind == ESA_DEBTOR_COMPANY;
  self->deceased = hit->deceased;
  self->insolvent = hit->insolvent;

  if (self->tax_id[0] != '\0' && self->town[0] != '\0')
    /* Translators: the second line of a search result: tax id · town. */
    self->details = g_strdup_printf (_("%s · %s"), self->tax_id, self->town);
  else
    self->details = g_strconcat (self->tax_id, self->town, NULL);

  return self;
}

const char *
esa_search_result_get_debtor_id (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), NULL);
  return self->debtor_id;
}

const char *
esa_search_result_get_name (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), NULL);
  return self->name;
}

const char *
esa_search_result_get_tax_id (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), NULL);
  return self->tax_id;
}

const char *
esa_search_result_get_town (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), NULL);
  return self->town;
}

const char *
esa_search_result_get_details (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), NULL);
  return self->details;
}

gboolean
esa_search_result_get_company (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), FALSE);
  return self->company;
}

gboolean
esa_search_result_get_deceased (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), FALSE);
  return self->deceased;
}

gboolean
esa_search_result_get_insolvent (EsaSearchResult *self)
{
  g_return_val_if_fail (ESA_IS_SEARCH_RESULT (self), FALSE);
  return self->insolvent;
}
