#pragma once

#include <libxml/tree.h>

#include "esa-payment-flow.h"

G_BEGIN_DECLS

/* Private to the payment flow readers of src/exchange. */

/**
 * _esa_xml_parse:
 * @what: the kind of file for messages ("pagoPA flow")
 *
 * Parses XML without network access and without loading external
 * entities.
 *
 * Returns: (transfer full): the document, or NULL with
 *   ESA_EXCHANGE_ERROR_PARSE naming the line
 */
xmlDoc   *_esa_xml_parse        (const char  *data,
                                 gsize        length,
                                 const char  *what,
                                 GError     **error);

/* The first child element of @parent named @name (local name), or NULL. */
xmlNode  *_esa_xml_child        (xmlNode     *parent,
                                 const char  *name);
/* The next sibling element named like @node, or NULL. */
xmlNode  *_esa_xml_next         (xmlNode     *node);
/* The element at @path ("Refs/AcctSvcrRef") under @parent, or NULL. */
xmlNode  *_esa_xml_path         (xmlNode     *parent,
                                 const char  *path);
/* The text of @node without surrounding white space; NULL for no node or an
 * empty text. (transfer full) */
char     *_esa_xml_text         (xmlNode     *node);
/* _esa_xml_text (_esa_xml_path (@parent, @path)) */
char     *_esa_xml_path_text    (xmlNode     *parent,
                                 const char  *path);
guint     _esa_xml_line         (xmlNode     *node);
/* The local name of the element, as a C string. */
const char *_esa_xml_name       (xmlNode     *node);

/* An xsd:dateTime as ISO 8601 UTC ("2024-01-10T08:15:00Z"); a time without
 * zone is taken as UTC. NULL when it is not one. (transfer full) */
char     *_esa_payment_timestamp (const char *text);
/* An xsd:date (an offset after it is ignored) or the date part of an
 * xsd:dateTime as "YYYY-MM-DD"; NULL when it is not one. (transfer full) */
char     *_esa_payment_date      (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_END_DECLS
