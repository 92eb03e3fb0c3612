/* esa-demo.c: the deterministic demo data generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "esa-config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "esa-date.h"
#include "esa-demo.h"
#include "esa-demo-private.h"
#include "esa-identifiers.h"
#include "esa-money.h"
#include "esa-store-private.h"
#include "esa-store-sync.h"
#include "esa-uuid.h"

/* Everything below is invented. Names come from lists of common given names
 * and surnames and are combined at random; towns, streets, bodies and offices
 * do not exist; phone numbers use the fictional 555 block and e-mail
 * addresses the reserved example.* domains.
 *
 * The generator draws every random number from one GRand seeded from the
 * options, in a fixed order, and makes every id with esa_uuid_from_seed(), so
 * the same seed, size and reference date always give the same rows. Rows go
 * in through prepared statements in one transaction, without outbox
 * operations (demo data is a baseline, as if already synced); the audit
 * journal gets a short plausible history in chronological order, and the
 * full-text index is rebuilt once at the end. */

/* ---- invented content ------------------------------------------------- */

typedef enum
{
  LANG_IT,
  LANG_DE,
  LANG_FR,
  N_LANGS
} Lang;

typedef struct
{
  const char *name;
  char        sex;
} GivenName;

static const GivenName given_it[] = {
  { "Marco", 'M' }, { "Luca", 'M' }, { "Giuseppe", 'M' }, { "Giovanni", 'M' },
  { "Andrea", 'M' }, { "Francesco", 'M' }, { "Alessandro", 'M' }, { "Matteo", 'M' },
  { "Lorenzo", 'M' }, { "Davide", 'M' }, { "Stefano", 'M' }, { "Paolo", 'M' },
  { "Roberto", 'M' }, { "Antonio", 'M' }, { "Simone", 'M' }, { "Federico", 'M' },
  { "Riccardo", 'M' }, { "Massimo", 'M' }, { "Fabio", 'M' }, { "Claudio", 'M' },
  { "Enrico", 'M' }, { "Giorgio", 'M' }, { "Alberto", 'M' }, { "Pietro", 'M' },
  { "Michele", 'M' }, { "Daniele", 'M' }, { "Emanuele", 'M' }, { "Filippo", 'M' },
  { "Nicola", 'M' }, { "Salvatore", 'M' }, { "Vincenzo", 'M' }, { "Tommaso", 'M' },
  { "Gabriele", 'M' }, { "Leonardo", 'M' }, { "Carlo", 'M' }, { "Mario", 'M' },
  { "Franco", 'M' }, { "Bruno", 'M' }, { "Sergio", 'M' }, { "Luigi", 'M' },
  { "Giulia", 'F' }, { "Francesca", 'F' }, { "Chiara", 'F' }, { "Sara", 'F' },
  { "Valentina", 'F' }, { "Anna", 'F' }, { "Laura", 'F' }, { "Elena", 'F' },
  { "Alessia", 'F' }, { "Martina", 'F' }, { "Federica", 'F' }, { "Silvia", 'F' },
  { "Paola", 'F' }, { "Elisa", 'F' }, { "Roberta", 'F' }, { "Maria", 'F' },
  { "Giovanna", 'F' }, { "Rosa", 'F' }, { "Angela", 'F' }, { "Teresa", 'F' },
  { "Lucia", 'F' }, { "Cristina", 'F' }, { "Monica", 'F' }, { "Barbara", 'F' },
  { "Simona", 'F' }, { "Claudia", 'F' }, { "Daniela", 'F' }, { "Marta", 'F' },
  { "Ilaria", 'F' }, { "Beatrice", 'F' }, { "Sofia", 'F' }, { "Aurora", 'F' },
  { "Alice", 'F' }, { "Giorgia", 'F' }, { "Emma", 'F' }, { "Greta", 'F' },
  { "Camilla", 'F' }, { "Irene", 'F' }, { "Noemi", 'F' }, { "Serena", 'F' },
};

static const char * const surnames_it[] = {
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
  "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
  "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani",
  "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile",
  "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
  "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini",
  "Grasso", "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo",
  "Sanna", "Farina", "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri",
  "Mazza", "Testa", "Grassi", "Pellegrino", "Carbone", "Giuliani", "Benedetti", "Barone",
  "Rossetti", "Caputo", "Montanari", "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore",
  "De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras", "Vitali",
  "Battaglia", "Sartori", "Neri", "Costantini", "Milani", "Pagano", "Ruggiero", "Sorrentino",
  "D'Amico", "Orlando", "Negri", "Mazzoni",
};

/* Surnames frequent in Italian-speaking Switzerland. */
static const char * const surnames_ti[] = {
  "Bernasconi", "Pedrazzini", "Rusca", "Lepori", "Bottinelli", "Pedroni", "Gianella", "Foletti",
  "Respini", "Cavadini", "Guscetti", "Quadri", "Soldati", "Beffa", "Fumagalli", "Poretti",
  "Vassalli", "Della Casa", "Cattori", "Induni",
};

static const GivenName given_de[] = {
  { "Daniel", 'M' }, { "Thomas", 'M' }, { "Peter", 'M' }, { "Martin", 'M' },
  { "Andreas", 'M' }, { "Christian", 'M' }, { "Stefan", 'M' }, { "Michael", 'M' },
  { "Markus", 'M' }, { "Urs", 'M' }, { "Beat", 'M' }, { "Reto", 'M' },
  { "Lukas", 'M' }, { "Simon", 'M' }, { "Jonas", 'M' }, { "Hans", 'M' },
  { "Walter", 'M' }, { "Patrick", 'M' }, { "Roman", 'M' }, { "Fabian", 'M' },
  { "Ursula", 'F' }, { "Ruth", 'F' }, { "Sandra", 'F' }, { "Monika", 'F' },
  { "Nicole", 'F' }, { "Karin", 'F' }, { "Brigitte", 'F' }, { "Esther", 'F' },
  { "Regula", 'F' }, { "Sarah", 'F' }, { "Lea", 'F' }, { "Julia", 'F' },
  { "Petra", 'F' }, { "Verena", 'F' }, { "Corinne", 'F' }, { "Franziska", 'F' },
  { "Barbara", 'F' }, { "Susanne", 'F' }, { "Heidi", 'F' }, { "Anna", 'F' },
};

static const char * const surnames_de[] = {
  "Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer",
  "Steiner", "Fischer", "Gerber", "Brunner", "Baumann", "Frei", "Zimmermann", "Moser",
  "Widmer", "Wyss", "Graf", "Roth", "Suter", "Baumgartner", "Bachmann", "Kaufmann",
  "Hofer", "Studer", "Berger", "Marti", "Lüthi", "Kunz", "Bühler", "Egli",
  "Koch", "Wenger", "Zürcher", "Hess", "Vogel", "Arnold", "Sutter", "Bosshard",
};

static const GivenName given_fr[] = {
  { "Jean", 'M' }, { "Pierre", 'M' }, { "Philippe", 'M' }, { "Nicolas", 'M' },
  { "Olivier", 'M' }, { "Laurent", 'M' }, { "Julien", 'M' }, { "Alain", 'M' },
  { "Christophe", 'M' }, { "Yves", 'M' }, { "Mathieu", 'M' }, { "Sébastien", 'M' },
  { "Marie", 'F' }, { "Catherine", 'F' }, { "Isabelle", 'F' }, { "Nathalie", 'F' },
  { "Sophie", 'F' }, { "Céline", 'F' }, { "Valérie", 'F' }, { "Christine", 'F' },
  { "Chantal", 'F' }, { "Camille", 'F' }, { "Élodie", 'F' }, { "Aurélie", 'F' },
};

static const char * const surnames_fr[] = {
  "Favre", "Rochat", "Dubois", "Morel", "Bonvin", "Perrin", "Jaquet", "Monnier",
  "Chevalley", "Rey", "Girard", "Mercier", "Cuénod", "Pittet", "Bovet", "Blanc",
  "Fournier", "Duc", "Jaccard", "Mottier",
};

static const char * const streets_it[] = {
  "Via dei Castagni", "Via delle Viole", "Via del Mulino", "Via della Fontana",
  "Via San Rocco", "Via dei Vigneti", "Via del Lago", "Via dei Tigli",
  "Piazza del Mercato", "Vicolo del Forno", "Via della Chiesa", "Via dei Gelsi",
  "Via del Campo", "Via delle Querce", "Via dei Ciliegi", "Via della Stazione",
  "Via del Sole", "Largo dei Pini", "Via delle Rose", "Strada del Bosco",
  "Via dei Pescatori", "Via del Castello", "Via dei Fiori", "Contrada dei Cedri",
  "Via degli Orti", "Via della Cascina", "Viale dei Platani", "Via del Torrente",
};

static const char * const streets_de[] = {
  "Bahnhofstrasse", "Dorfstrasse", "Lindenweg", "Bergstrasse", "Seestrasse", "Mühlegasse",
  "Kirchweg", "Schulhausstrasse", "Rosenweg", "Gartenstrasse", "Birkenweg",
  "Sonnenbergstrasse", "Feldstrasse", "Obstgartenweg", "Weiherstrasse", "Eichenweg",
};

static const char * const streets_fr[] = {
  "Rue du Moulin", "Chemin des Vignes", "Avenue des Alpes", "Route du Lac", "Rue de la Gare",
  "Chemin des Pâquerettes", "Rue du Centre", "Chemin du Bois", "Rue des Écoles",
  "Place du Marché", "Route de la Forêt", "Chemin des Tilleuls",
};

/* Company names: "<surname> <sector> <form>" or "<prefix><stem> <form>". */
static const char * const sectors_it[] = {
  "Costruzioni", "Edilizia", "Trasporti", "Impianti", "Servizi", "Immobiliare",
  "Ristorazione", "Commercio", "Autoriparazioni", "Impianti Elettrici", "Informatica",
  "Logistica", "Arredamenti", "Serramenti", "Giardini",
};
static const char * const sectors_de[] = {
  "Bau", "Transporte", "Holzbau", "Elektro", "Gartenbau", "Immobilien", "Treuhand",
  "Malerei", "Sanitär", "Informatik",
};
static const char * const sectors_fr[] = {
  "Construction", "Transports", "Menuiserie", "Électricité", "Fiduciaire", "Immobilier",
  "Peinture", "Paysagisme",
};
static const char * const company_prefixes[] = {
  "Edil", "Tecno", "Idro", "Agri", "Termo", "Eco", "Auto", "Info", "Metal", "Legno",
};
static const char * const company_stems[] = {
  "val", "monte", "sera", "alpi", "lago", "fonte", "nova", "sole", "verde", "castel",
};

typedef struct
{
  const char *name;
  const char *postcode;
  const char *country;
  Lang        lang;
  const char *cadastral;      /* Italian towns: the code in a codice fiscale */
  guint       office;         /* the office in charge of its debtors */
  guint       weight;
} Town;

static const Town towns[] = {
  { "Valsera", "27048", "IT", LANG_IT, "L873", 0, 55 },
  { "Roccalba", "27052", "IT", LANG_IT, "H412", 0, 8 },
  { "Castelmirto", "27030", "IT", LANG_IT, "C231", 0, 7 },
  { "Vallerbe", "27059", "IT", LANG_IT, "L644", 0, 5 },
  { "Pievefonte", "26866", "IT", LANG_IT, "G642", 1, 12 },
  { "San Vito al Colle", "26810", "IT", LANG_IT, "I391", 1, 6 },
  { "Borgoleandro", "26010", "IT", LANG_IT, "B031", 1, 7 },
  { "Montalbe", "6597", "CH", LANG_IT, NULL, 2, 30 },
  { "Cadelago", "6583", "CH", LANG_IT, NULL, 2, 12 },
  { "Rivamonte", "6815", "CH", LANG_IT, NULL, 2, 10 },
  { "Sorbella", "6949", "CH", LANG_IT, NULL, 2, 8 },
  { "Tannwil", "8627", "CH", LANG_DE, NULL, 2, 10 },
  { "Seewilen", "8826", "CH", LANG_DE, NULL, 2, 8 },
  { "Mooshalden", "3417", "CH", LANG_DE, NULL, 2, 6 },
  { "Chavornex", "1437", "CH", LANG_FR, NULL, 2, 8 },
  { "Montrevaz", "1092", "CH", LANG_FR, NULL, 2, 6 },
};

/* Birth places abroad in a codice fiscale (Z + country code). */
static const char * const foreign_birth_places[] = {
  "Z133", "Z110", "Z112", "Z129", "Z100", "Z330",
};

static const char * const mobile_prefixes_it[] = {
  "320", "328", "333", "338", "340", "347", "349", "366", "380", "391",
};
static const char * const mobile_prefixes_ch[] = { "76", "77", "78", "79" };
static const char * const mail_domains[] = { "example.com", "example.org", "example.net" };

typedef enum
{
  REV_IMU,
  REV_TARI,
  REV_FINE,
  REV_WATER,
  REV_TAX,
  REV_PREMIUM,
  REV_CLAIM,
  N_REVENUES
} Revenue;

#define N_IT_REVENUES 4

static const struct
{
  const char *id;
  const char *code;            /* in load list references */
  const char *reference_prefix;
  const char *resource;        /* budget resource of the load lists */
  const char *chapter;         /* budget chapter (capitolo PEG) */
} revenues[N_REVENUES] = {
  { "IMU", "IMU", "ACC-IMU", "E.1.01.01.06.001", "1006" },
  { "TARI", "TARI", "ACC-TARI", "E.1.01.01.51.001", "1051" },
  { "fine", "CDS", "VERB", "E.3.02.02.01.001", "3201" },
  { "water", "H2O", "FATT-H2O", "E.3.01.02.01.002", "3102" },
  { "tax", NULL, "TASS", NULL, NULL },
  { "premium", NULL, "PREM", NULL, NULL },
  { "claim", NULL, "FATT", NULL, NULL },
};

#define N_BODIES 4
#define IT_BODY  0

static const struct
{
  const char *name;
  const char *country;
  const char *currency;
  const char *tax_body;       /* IT: the first 10 digits of the P.IVA; CH: 8 digits of the UID */
  const char *bban;           /* IT: ABI + CAB + account; CH: QR-IID + account */
  const char *segregation_code;
  Revenue     revenue;        /* what a Swiss creditor claims */
  const char *qr_prefix;      /* first digits of its QR references */
  guint       weight;         /* share of the Swiss cases */
} bodies[N_BODIES] = {
  { "Comune di Valsera", "IT", "EUR", "0082154036", "0876511200000004617321", "01",
    REV_IMU, NULL, 0 },
  { "Ufficio circondariale di tassazione di Montalbe", "CH", "CHF", "10938475",
    "30123000045127861", NULL, REV_TAX, "100100", 40 },
  { "Cassa malati Alpina Sana SA", "CH", "CHF", "20456718", "31050000078211904", NULL,
    REV_PREMIUM, "200200", 40 },
  { "Aziende Municipalizzate di Montalbe", "CH", "CHF", "30772951", "30777000011822033", NULL,
    REV_CLAIM, "300300", 20 },
};

#define N_OFFICES 3
#define CH_OFFICE 2

static const struct
{
  const char *name;
  const char *town;
  const char *country;
} offices[N_OFFICES] = {
  { "Ufficio Riscossione Coattiva di Valsera", "Valsera", "IT" },
  { "Sportello Riscossione di Pievefonte", "Pievefonte", "IT" },
  { "Ufficio di esecuzione di Montalbe", "Montalbe", "CH" },
};

/* Who works where: every role at least twice, officers in every office. */
static const struct
{
  guint   office;
  EsaRole role;
} staff[] = {
  { 0, ESA_ROLE_OFFICER }, { 0, ESA_ROLE_OFFICER }, { 0, ESA_ROLE_OFFICER },
  { 0, ESA_ROLE_OFFICER }, { 0, ESA_ROLE_FIELD_OFFICER }, { 0, ESA_ROLE_TEAM_LEAD },
  { 0, ESA_ROLE_RESPONSIBLE }, { 0, ESA_ROLE_CONTACT_OPERATOR }, { 0, ESA_ROLE_CONTACT_OPERATOR },
  { 0, ESA_ROLE_ADMINISTRATOR }, { 0, ESA_ROLE_AUDITOR },
  { 1, ESA_ROLE_OFFICER }, { 1, ESA_ROLE_OFFICER }, { 1, ESA_ROLE_FIELD_OFFICER },
  { 1, ESA_ROLE_TEAM_LEAD }, { 1, ESA_ROLE_RESPONSIBLE }, { 1, ESA_ROLE_CONTACT_OPERATOR },
  { 2, ESA_ROLE_OFFICER }, { 2, ESA_ROLE_OFFICER }, { 2, ESA_ROLE_OFFICER },
  { 2, ESA_ROLE_FIELD_OFFICER }, { 2, ESA_ROLE_TEAM_LEAD }, { 2, ESA_ROLE_RESPONSIBLE },
  { 2, ESA_ROLE_CONTACT_OPERATOR }, { 2, ESA_ROLE_ADMINISTRATOR }, { 2, ESA_ROLE_AUDITOR },
};

#define N_STAFF       G_N_ELEMENTS (staff)
#define MAX_PER_ROLE  8

/* ---- procedures ------------------------------------------------------- */

typedef enum
{
  IT_INJUNCTION_ISSUED,
  IT_NOTIFIED,
  IT_NOTIFICATION_FAILED,
  IT_REMINDED,
  IT_INSTALMENT_PLAN,
  IT_LIEN_NOTICE,
  IT_LIEN_REGISTERED,
  IT_MORTGAGE_NOTICE,
  IT_GARNISHMENT,
  IT_SEIZURE,
  IT_INSOLVENCY_CLAIM,
  IT_SUSPENDED,
  IT_PAID,
  IT_UNCOLLECTABLE,
  N_IT_STATES
} ItState;

typedef enum
{
  CH_REQUESTED,
  CH_ORDER_ISSUED,
  CH_SERVED,
  CH_OPPOSED,
  CH_CONTINUABLE,
  CH_SEIZED,
  CH_LOSS_CERTIFICATE,
  CH_PAID,
  CH_WITHDRAWN,
  N_CH_STATES
} ChState;

static const char * const it_states[N_IT_STATES] = {
  "injunction_issued", "notified", "notification_failed", "reminded", "instalment_plan",
  "lien_notice", "lien_registered", "mortgage_notice", "garnishment", "seizure",
  "insolvency_claim", "suspended", "paid", "uncollectable",
};

/* How often each state comes up (per mille) once every state has had its
 * case. A mortgage needs 20,000 EUR and an insolvency claim an insolvent
 * debtor, so they are rare; the insolvent debtors bring their own claims. */
static const guint it_state_weights[N_IT_STATES] = {
  60, 140, 40, 100, 80, 60, 60, 5, 60, 30, 0, 30, 220, 60,
};

static const char * const ch_states[N_CH_STATES] = {
  "requested", "order_issued", "served", "opposed", "continuable", "seized",
  "loss_certificate", "paid", "withdrawn",
};

static const guint ch_state_weights[N_CH_STATES] = {
  40, 80, 100, 80, 120, 120, 100, 280, 80,
};

typedef enum
{
  ACT_INJUNCTION,
  ACT_REMINDER,
  ACT_VEHICLE_LIEN_NOTICE,
  ACT_VEHICLE_LIEN,
  ACT_MORTGAGE_NOTICE,
  ACT_GARNISHMENT_ORDER,
  ACT_SEIZURE_REPORT,
  ACT_INSOLVENCY_CLAIM,
  ACT_PAYMENT_ORDER,
  ACT_SEIZURE_NOTICE,
  ACT_LOSS_CERTIFICATE,
  N_ACT_TYPES
} ActType;

static const struct
{
  const char *id;
  const char *prefix;         /* of the act number: "ING-2026-000123" */
  const char *label;
} act_types[N_ACT_TYPES] = {
  /* Translators: act types in the audit history of the demo data */
  { "injunction", "ING", N_("Injunction") },
  { "reminder", "SOL", N_("Reminder") },
  { "vehicle_lien_notice", "PFA", N_("Vehicle lien notice") },
  { "vehicle_lien", "FA", N_("Vehicle lien") },
  { "mortgage_notice", "PIP", N_("Mortgage notice") },
  { "garnishment_order", "PPT", N_("Garnishment order") },
  { "seizure_report", "PMB", N_("Seizure report") },
  { "insolvency_claim", "INS", N_("Insolvency claim") },
  { "payment_order", "PE", N_("Payment order") },
  { "seizure_notice", "AP", N_("Seizure notice") },
  { "loss_certificate", "ACB", N_("Certificate of loss") },
};

/* Translators: reasons why the delivery of an act failed (demo data) */
static const char * const failure_reasons[] = {
  /* In the order of the choices of record_failed_delivery in it-coercive.json. */
  N_("Addressee unknown at the address"),
  N_("Addressee moved away"),
  N_("Refused by the addressee"),
  N_("Not collected at the post office"),
};

typedef struct
{
  const char *channel;
  const char *direction;
  const char *subject;
  const char *note;           /* may be NULL */
} ContactTopic;

/* Repeated entries are the frequent ones. */
static const ContactTopic contact_topics[] = {
  /* Translators: subjects and notes of contact log entries in the demo data */
  { "phone", "in", N_("Asked for the amount due"), N_("Gave the balance and the ways to pay.") },
  { "phone", "in", N_("Asked for the amount due"), NULL },
  { "phone", "in", N_("Requested an instalment plan"), N_("Sent the request form by e-mail.") },
  { "phone", "in", N_("Announced a payment"), N_("Will pay by the end of the month.") },
  { "phone", "in", N_("Disputes the amount"), N_("Forwarded to the back office.") },
  { "phone", "out", N_("Reminded of the payment due"), NULL },
  { "email", "in", N_("Sent proof of payment"), N_("Forwarded to the payments desk.") },
  { "email", "in", N_("Asked for a copy of the act"), NULL },
  { "email", "out", N_("Sent the balance and the payment slips"), NULL },
  { "counter", "in", N_("Asked about the procedure at the counter"),
    N_("Gave the balance and the ways to pay.") },
  { "counter", "in", N_("Reported a change of address"),
    N_("New address to be checked in the register.") },
  { "letter", "in", N_("Contested the claim in writing"), N_("Forwarded to the back office.") },
  { "letter", "out", N_("Answered the written request"), NULL },
  { "visit", "out", N_("Home visit, nobody there: courtesy notice left"), NULL },
  { "visit", "out", N_("Home visit: debtor met, payment options explained"),
    N_("The debtor will call the office.") },
};

/* ---- generator state -------------------------------------------------- */

typedef enum
{
  NS_BODY,
  NS_OFFICE,
  NS_USER,
  NS_LOAD_LIST,
  NS_DEBTOR,
  NS_ADDRESS,
  NS_CONTACT,
  NS_RELATION,
  NS_POSITION,
  NS_CASE,
  NS_ACT,
  NS_NOTIFICATION,
  NS_PAYMENT,
  NS_PLAN,
  NS_INSTALMENT,
  NS_CONTACT_LOG,
  NS_CASE_EVENT,
  N_NAMESPACES
} Namespace;

/* The namespaces of esa_uuid_from_seed(): also the entity names of the audit
 * journal where a row type has entries. */
static const char * const namespaces[N_NAMESPACES] = {
  "body", "office", "user", "load_list", "debtor", "address", "debtor_contact", "relation",
  "position", "case", "act", "notification", "payment", "instalment_plan", "instalment",
  "contact", "case_event",
};

typedef enum
{
  STMT_BODY,
  STMT_OFFICE,
  STMT_OFFICE_BODY,
  STMT_USER,
  STMT_LOAD_LIST,
  STMT_DEBTOR,
  STMT_ADDRESS,
  STMT_CONTACT,
  STMT_RELATION,
  STMT_POSITION,
  STMT_CASE,
  STMT_CASE_POSITION,
  STMT_ACT,
  STMT_NOTIFICATION,
  STMT_PAYMENT,
  STMT_PLAN,
  STMT_INSTALMENT,
  STMT_CONTACT_LOG,
  STMT_CASE_EVENT,
  STMT_CASE_EVENT_ACT,
  N_STMTS
} Stmt;

static const struct
{
  const char *table;
  const char *sql;
} statements[N_STMTS] = {
  { "bodies", "INSERT INTO bodies (id, name, country, currency, tax_code, iban, "
              "segregation_code) VALUES (?, ?, ?, ?, ?, ?, ?)" },
  { "offices", "INSERT INTO offices (id, name, town, country) VALUES (?, ?, ?, ?)" },
  { "office_bodies", "INSERT INTO office_bodies (office_id, body_id) VALUES (?, ?)" },
  { "users", "INSERT INTO users (id, name, login, role, office_id) VALUES (?, ?, ?, ?, ?)" },
  { "load_lists", "INSERT INTO load_lists (id, body_id, reference, revenue_type, year, resource, "
                  "budget_chapter, received_on, state, imported_by, approved_by, approved_on) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "debtors", "INSERT INTO debtors (id, kind, name, tax_id, tax_id_kind, birth_date, "
               "deceased_on, ceased_on, insolvent_since, office_id) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "addresses", "INSERT INTO addresses (id, debtor_id, street, postcode, town, country, "
                 "valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" },
  { "debtor_contacts", "INSERT INTO debtor_contacts (id, debtor_id, kind, value) "
                       "VALUES (?, ?, ?, ?)" },
  { "relations", "INSERT INTO relations (id, debtor_id, other_id, kind, note) "
                 "VALUES (?, ?, ?, ?, ?)" },
  { "positions", "INSERT INTO positions (id, debtor_id, body_id, load_list_id, revenue_type, "
                 "year, reference, payment_reference, due_date, currency, principal, "
                 "sanctions, interest, costs, paid, state) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "cases", "INSERT INTO cases (id, debtor_id, body_id, office_id, procedure_id, state, "
             "officer_id, opened_on, closed_on, next_deadline, next_deadline_label) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "case_positions", "INSERT INTO case_positions (case_id, position_id) VALUES (?, ?)" },
  { "acts", "INSERT INTO acts (id, case_id, debtor_id, type, number, issued_on, issued_by, "
            "amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" },
  { "notifications", "INSERT INTO notifications (id, act_id, attempt, method, state, sent_on, "
                     "delivered_on, failed_on, failure_reason) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "payments", "INSERT INTO payments (id, debtor_id, position_id, body_id, amount, currency, "
                "paid_on, reference, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "instalment_plans", "INSERT INTO instalment_plans (id, debtor_id, case_id, state, total, "
                        "currency, first_due, decided_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" },
  { "instalments", "INSERT INTO instalments (id, plan_id, seq, due_on, amount, paid, "
                   "payment_reference) VALUES (?, ?, ?, ?, ?, ?, ?)" },
  { "contact_log", "INSERT INTO contact_log (id, debtor_id, channel, direction, occurred_at, "
                   "user_id, subject, note, duration_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "case_events", "INSERT INTO case_events (id, case_id, seq, action, occurred_on, recorded_at, "
                   "user_id, from_state, to_state, fields) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
  { "case_event_acts", "INSERT INTO case_event_acts (event_id, act_id) VALUES (?, ?)" },
};

/* Load lists: two a year (spring and autumn) per Italian revenue type. */
#define N_LIST_YEARS 7
#define N_LIST_SLOTS (N_LIST_YEARS * 2)

typedef struct
{
  char   *id;                 /* NULL when it would lie in the future */
  char    reference[32];
  guint   year;
  Revenue revenue;
  gint32  received;
  gint32  approved;           /* 0 while awaiting approval */
} LoadList;

/* One audit entry waiting for its place in time; the strings live in the
 * generator's string chunk or in static tables. */
typedef struct
{
  gint64      at;             /* seconds since the start of julian day 0 */
  guint32     order;          /* ties keep the order of generation */
  gint        user;           /* staff index, -1 for the system */
  const char *action;
  const char *entity;
  const char *entity_id;
  const char *debtor_id;      /* NULL for none */
  const char *summary;
} AuditItem;

#define MAX_POSITIONS 8
#define MAX_CASES     2
#define MAX_ACTS      5
#define N_SEQ_YEARS   16

typedef enum
{
  NOTIF_DELIVERED,
  NOTIF_SENT,                 /* out for delivery */
  NOTIF_FAILED_RESENT,        /* first delivery failed, second one out */
  NOTIF_ON_SITE,              /* handed over by the officer on the spot */
} NotifPattern;

typedef struct
{
  ActType      type;
  NotifPattern notif;
  gint32       issued;
  gint32       sent;
  gint32       delivered;
  gint32       failed;
  gint32       sent2;
  const char  *method;        /* of its notification */
  guint        failure;       /* failed deliveries: the index of the reason */
  const char  *audit_id;      /* the last act of a case: its id, kept for the audit */
} DemoAct;

typedef struct
{
  char       *id;
  gboolean    swiss;
  guint       state;
  guint       body;
  guint       officer;        /* staff index */
  gint32      opened;
  gint32      closed;
  gint32      deadline;
  const char *deadline_label;
  gint32      last;           /* the latest event */
  gint32      pay_on;         /* paid cases: the final payment */
  gint32      plan_decided;   /* instalment plans */
  DemoAct     acts[MAX_ACTS];
  guint       n_acts;
  guint       first_position;
  guint       n_positions;
  gint64      total;
} DemoCase;

typedef struct
{
  char           *id;
  guint           body;
  Revenue         revenue;
  guint           year;
  gint32          due;
  const LoadList *list;
  gint64          principal;
  gint64          sanctions;
  gint64          interest;
  gint64          costs;
  gint64          paid;
  const char     *state;
  char            reference[32];
  char            payment_reference[32];
} DemoPosition;

typedef struct
{
  guint       position;
  gint        case_index;     /* -1 for a position outside the cases */
  gint64      amount;
  gint32      paid_on;
  const char *channel;
  const char *reference;      /* points into a position or an instalment */
} DemoPayment;

typedef struct
{
  gint32 due;
  gint64 amount;
  gboolean paid;
  char   reference[32];
} DemoInstalment;

typedef struct
{
  guint          index;
  char          *id;
  gboolean       swiss;
  Lang           lang;
  guint          office;
  const Town    *town;
  EsaDebtorKind  kind;
  char           name[128];
  char           surname[48];
  char           given[48];
  char           sex;
  gint32         birth;
  char          *tax_id;
  const char    *tax_id_kind;
  gboolean       is_deceased;
  gboolean       is_ceased;
  gboolean       is_insolvent;
  gint32         deceased;
  gint32         ceased;
  gint32         insolvent;
  gint32         registered;
  const LoadList *registered_list;
  guint          n_relations;
  guint          related[2];    /* debtor indices: heir or partners */

  DemoPosition   positions[MAX_POSITIONS];
  guint          n_positions;
  DemoCase       cases[MAX_CASES];
  guint          n_cases;
  int            plan_case;     /* the case with an instalment plan, -1 none */
  gint32         plan_decided;
  gint32         plan_first_due;
  gint64         plan_total;
} DemoDebtor;

typedef struct
{
  EsaStore     *store;
  sqlite3      *db;
  GRand        *rand;
  guint64       seed;
  gint32        today;        /* julian day */
  guint         today_year;
  guint         n_debtors;
  sqlite3_stmt *stmts[N_STMTS];

  char         *body_ids[N_BODIES];
  char         *office_ids[N_OFFICES];
  char         *user_ids[N_STAFF];
  char         *user_names[N_STAFF];
  guint         role_users[N_OFFICES][ESA_N_ROLES][MAX_PER_ROLE];
  guint         n_role_users[N_OFFICES][ESA_N_ROLES];

  LoadList      lists[N_LIST_SLOTS][N_IT_REVENUES];
  gint32        earliest_approval;
  guint         first_list_year;

  guint64       counters[N_NAMESPACES];
  guint64       n_references;
  guint64       n_instalment_references;
  guint32       act_seq[N_ACT_TYPES][N_SEQ_YEARS];
  guint         cover[2];     /* the next state to cover, per procedure */

  GHashTable   *tax_codes;    /* codici fiscali handed out */
  guint64       n_ahv;
  guint64       n_uid;
  guint64       n_piva;
  guint         recent_persons[2][64];
  guint         n_recent_persons[2];

  GArray       *payments;     /* DemoPayment of the current debtor */
  GArray       *instalments;  /* DemoInstalment of the current debtor */
  GArray       *audit;        /* AuditItem */
  GStringChunk *strings;      /* the texts and ids of the audit items */
  GString      *fields;       /* the fields of the case event being written, as JSON */
  DemoDebtor    debtor;
} Demo;

/* ---- small helpers ---------------------------------------------------- */

/* A uniform integer in [lo, hi]. C leaves the order in which the arguments
 * of a call are evaluated open, so no call below takes two draws as
 * arguments: each goes into a variable first, or the data would depend on
 * the compiler. */
static guint
rnd (Demo  *demo,
     guint  lo,
     guint  hi)
{
  return (guint) g_rand_int_range (demo->rand, (gint32) lo, (gint32) hi + 1);
}

static gboolean
chance (Demo  *demo,
        guint  per_mille)
{
  return rnd (demo, 0, 999) < per_mille;
}

static guint
pick_weighted (Demo        *demo,
               const guint *weights,
               guint        n)
{
  guint total = 0;
  guint r;
  guint i;

  for (i = 0; i < n; i++)
    total += weights[i];
  r = rnd (demo, 0, total - 1);
  for (i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }
  return n - 1;
}

#define PICK(demo, array) ((array)[rnd ((demo), 0, G_N_ELEMENTS (array) - 1)])

/* An amount in [lo, hi] minor units, most of them near @lo: the product of
 * two uniform draws, in integers so that every platform agrees. */
static gint64
skewed_amount (Demo   *demo,
               gint64  lo,
               gint64  hi)
{
  gint64 a = rnd (demo, 0, 999);
  gint64 b = rnd (demo, 0, 999);

  return lo + (hi - lo) * a * b / 998001;
}

static gint32
julian_from_ymd (guint year,
                 guint month,
                 guint day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return (gint32) g_date_get_julian (&date);
}

static guint
year_of (gint32 julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) julian);
  return g_date_get_year (&date);
}

static gint32
add_months (gint32 julian,
            guint  months)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) julian);
  g_date_add_months (&date, months);
  return (gint32) g_date_get_julian (&date);
}

static void
put_digits (char  *out,
            guint  value,
            guint  width)
{
  while (width-- > 0)
    {
      out[width] = (char) ('0' + value % 10);
      value /= 10;
    }
}

/* "YYYY-MM-DD" into @out (11 bytes). */
static void
format_date (gint32  julian,
             char   *out)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) julian);
  put_digits (out, g_date_get_year (&date), 4);
  out[4] = '-';
  put_digits (out + 5, g_date_get_month (&date), 2);
  out[7] = '-';
  put_digits (out + 8, g_date_get_day (&date), 2);
  out[10] = '\0';
}

/* "YYYY-MM-DDTHH:MM:SSZ" into @out (21 bytes). */
static void
format_timestamp (gint64  at,
                  char   *out)
{
  guint seconds = (guint) (at % 86400);

  format_date ((gint32) (at / 86400), out);
  out[10] = 'T';
  put_digits (out + 11, seconds / 3600, 2);
  out[13] = ':';
  put_digits (out + 14, seconds / 60 % 60, 2);
  out[16] = ':';
  put_digits (out + 17, seconds % 60, 2);
  out[19] = 'Z';
  out[20] = '\0';
}

/* A moment during office hours (in UTC) on @julian. */
static gint64
office_time (Demo   *demo,
             gint32  julian)
{
  return (gint64) julian * 86400 + 6 * 3600 + rnd (demo, 0, 10 * 3600 - 1);
}

/* Upper-case ASCII letters of @text only: what a codice fiscale is made from. */
static char *
fold_letters (const char *text,
              gboolean    upper)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_sized_new (strlen (ascii));
  const char *p;

  for (p = ascii; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (out, upper ? g_ascii_toupper (*p) : g_ascii_tolower (*p));

  return g_string_free (out, FALSE);
}

static char *
next_id (Demo      *demo,
         Namespace  ns)
{
  return esa_uuid_from_seed (namespaces[ns], demo->seed, demo->counters[ns]++);
}

static char *
debtor_id (Demo  *demo,
           guint  index)
{
  return esa_uuid_from_seed (namespaces[NS_DEBTOR], demo->seed, index);
}

/* ---- writing rows ----------------------------------------------------- */

/* Binds the arguments described by @types to @stmt and runs it: 's' a
 * string (NULL for SQL NULL), 'i' a gint64, 'o' a gint64 that is SQL NULL
 * when negative, 'd' a julian day as an ISO date (0 for SQL NULL). */
static gboolean
insert_row (Demo        *demo,
            Stmt         which,
            GError     **error,
            const char  *types,
            ...)
{
  sqlite3_stmt *stmt = demo->stmts[which];
  char dates[8][11];
  guint n_dates = 0;
  va_list args;
  int i;
  int rc;

  va_start (args, types);
  for (i = 0; types[i] != '\0'; i++)
    {
      switch (types[i])
        {
        case 's':
          {
            const char *text = va_arg (args, const char *);

            if (text != NULL)
              sqlite3_bind_text (stmt, i + 1, text, -1, SQLITE_STATIC);
            else
              sqlite3_bind_null (stmt, i + 1);
          }
          break;

        case 'i':
          sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
          break;

        case 'o':
          {
            gint64 value = va_arg (args, gint64);

            if (value >= 0)
              sqlite3_bind_int64 (stmt, i + 1, value);
            else
              sqlite3_bind_null (stmt, i + 1);
          }
          break;

        case 'd':
          {
            gint32 julian = va_arg (args, gint32);

            g_assert (n_dates < G_N_ELEMENTS (dates));
            if (julian > 0)
              {
                format_date (julian, dates[n_dates]);
                sqlite3_bind_text (stmt, i + 1, dates[n_dates], 10, SQLITE_STATIC);
                n_dates++;
              }
            else
              {
                sqlite3_bind_null (stmt, i + 1);
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  va_end (args);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = NULL;

      if (demo->debtor.id != NULL)
        /* Translators: %s is a table name, %u the number of the debtor being written */
        what = g_strdup_printf (_("Could not write the demo data into %s (debtor %u)"),
                                statements[which].table, demo->debtor.index + 1);
      else
        /* Translators: %s is a table name */
        what = g_strdup_printf (_("Could not write the demo data into %s"),
                                statements[which].table);
      _esa_store_set_sqlite_error (demo->store, error, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* @entity_id and @debtor_id must outlive the generation (static, or in the
 * string chunk); @summary is copied. */
static void
queue_audit (Demo        *demo,
             gint64       at,
             gint         user,
             Namespace    ns,
             const char  *action,
             const char  *entity_id,
             const char  *debtor_id,
             const char  *summary)
{
  AuditItem item;

  item.at = at;
  item.order = demo->audit->len;
  item.user = user;
  item.action = action;
  item.entity = namespaces[ns];
  item.entity_id = entity_id;
  item.debtor_id = debtor_id;
  item.summary = g_string_chunk_insert (demo->strings, summary);
  g_array_append_val (demo->audit, item);
}

static const char *
keep (Demo       *demo,
      const char *text)
{
  return g_string_chunk_insert (demo->strings, text);
}

static guint
staff_of (Demo    *demo,
          guint    office,
          EsaRole  role)
{
  guint n = demo->n_role_users[office][role];

  g_assert (n > 0);
  return demo->role_users[office][role][rnd (demo, 0, n - 1)];
}

/* ---- bodies, offices, users, load lists ------------------------------- */

static gboolean
write_setup (Demo    *demo,
             GError **error)
{
  g_autoptr(GHashTable) logins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint32 setup_day;
  guint i;

  /* The office went live a little before the first load list arrived. */
  setup_day = julian_from_ymd (demo->first_list_year + 1, 2, 1) - 30;

  for (i = 0; i < N_BODIES; i++)
    {
      g_autofree char *tax_code = NULL;
      g_autofree char *iban = esa_iban_compose (bodies[i].country, bodies[i].bban);
      char summary[256];

      if (g_str_equal (bodies[i].country, "IT"))
        {
          tax_code = esa_partita_iva_compose (bodies[i].tax_body);
        }
      else
        {
          guint64 body = g_ascii_strtoull (bodies[i].tax_body, NULL, 10);

          /* A few 8-digit bodies have no valid check digit: take the next. */
          while (tax_code == NULL)
            {
              char digits[16];

              g_snprintf (digits, sizeof digits, "%08" G_GUINT64_FORMAT, body++);
              tax_code = esa_uid_compose (digits);
            }
        }

      demo->body_ids[i] = next_id (demo, NS_BODY);
      if (!insert_row (demo, STMT_BODY, error, "sssssss", demo->body_ids[i], bodies[i].name,
                       bodies[i].country, bodies[i].currency, tax_code, iban,
                       bodies[i].segregation_code))
        return FALSE;

      /* Translators: audit history of the demo data; %s is a creditor body */
      g_snprintf (summary, sizeof summary, _("Creditor body %s created"), bodies[i].name);
      queue_audit (demo, office_time (demo, setup_day), -1, NS_BODY, "create",
                   keep (demo, demo->body_ids[i]), NULL, summary);
    }

  for (i = 0; i < N_OFFICES; i++)
    {
      char summary[256];

      demo->office_ids[i] = next_id (demo, NS_OFFICE);
      if (!insert_row (demo, STMT_OFFICE, error, "ssss", demo->office_ids[i], offices[i].name,
                       offices[i].town, offices[i].country))
        return FALSE;

      /* Translators: audit history of the demo data; %s is an office */
      g_snprintf (summary, sizeof summary, _("Office %s created"), offices[i].name);
      queue_audit (demo, office_time (demo, setup_day), -1, NS_OFFICE, "create",
                   keep (demo, demo->office_ids[i]), NULL, summary);
    }

  for (i = 0; i < N_BODIES; i++)
    {
      guint office;

      for (office = 0; office < N_OFFICES; office++)
        if (g_str_equal (offices[office].country, bodies[i].country)
            && !insert_row (demo, STMT_OFFICE_BODY, error, "ss", demo->office_ids[office],
                            demo->body_ids[i]))
          return FALSE;
    }

  for (i = 0; i < N_STAFF; i++)
    {
      gboolean swiss = staff[i].office == CH_OFFICE;
      const GivenName *given = &PICK (demo, given_it);
      const char *surname = swiss && chance (demo, 500) ? PICK (demo, surnames_ti)
                                                        : PICK (demo, surnames_it);
      g_autofree char *login_base = NULL;
      char *login;
      char summary[256];

      demo->user_names[i] = g_strdup_printf ("%s %s", given->name, surname);
      login_base = fold_letters (surname, FALSE);
      login = g_strdup_printf ("%c%s", g_ascii_tolower (given->name[0]), login_base);

      /* Logins are unique: a second Marco Rossi gets a number. */
      if (g_hash_table_contains (logins, login))
        {
          g_free (login);
          login = g_strdup_printf ("%c%s%u", g_ascii_tolower (given->name[0]), login_base, i);
        }
      g_hash_table_add (logins, login);

      demo->user_ids[i] = next_id (demo, NS_USER);
      if (!insert_row (demo, STMT_USER, error, "sssss", demo->user_ids[i], demo->user_names[i],
                       login, esa_role_to_string (staff[i].role),
                       demo->office_ids[staff[i].office]))
        return FALSE;

      g_assert (demo->n_role_users[staff[i].office][staff[i].role] < MAX_PER_ROLE);
      demo->role_users[staff[i].office][staff[i].role]
                      [demo->n_role_users[staff[i].office][staff[i].role]++] = i;

      /* Translators: audit history of the demo data; a user's name and role */
      g_snprintf (summary, sizeof summary, _("User %s created (%s)"), demo->user_names[i],
                  esa_role_describe (staff[i].role));
      queue_audit (demo, office_time (demo, setup_day), -1, NS_USER, "create",
                   keep (demo, demo->user_ids[i]), NULL, summary);
    }

  demo->earliest_approval = 0;
  for (i = 0; i < N_LIST_SLOTS; i++)
    {
      guint revenue;

      for (revenue = 0; revenue < N_IT_REVENUES; revenue++)
        {
          LoadList *list = &demo->lists[i][revenue];
          guint importer = staff_of (demo, 0, ESA_ROLE_OFFICER);
          guint approver = staff_of (demo, 0, ESA_ROLE_RESPONSIBLE);

          list->year = demo->first_list_year + i / 2;
          list->revenue = (Revenue) revenue;
          /* The creditor body hands over in spring and in autumn, a few days
           * apart per revenue type. */
          list->received = julian_from_ymd (list->year + 1, i % 2 == 0 ? 3 : 9, 4 + 3 * revenue);
          list->approved = list->received + (gint32) rnd (demo, 8, 25);
          if (list->received >= demo->today)
            continue;
          if (list->approved >= demo->today)
            list->approved = 0;

          g_snprintf (list->reference, sizeof list->reference, "LDC-%s-%u-%u",
                      revenues[revenue].code, list->year, i % 2 + 1);
          list->id = next_id (demo, NS_LOAD_LIST);
          if (!insert_row (demo, STMT_LOAD_LIST, error, "ssssissdsssd", list->id,
                           demo->body_ids[IT_BODY], list->reference, revenues[revenue].id,
                           (gint64) list->year, revenues[revenue].resource,
                           revenues[revenue].chapter, list->received,
                           list->approved != 0 ? "approved" : "imported",
                           demo->user_ids[importer],
                           list->approved != 0 ? demo->user_ids[approver] : NULL,
                           list->approved))
            return FALSE;

          if (list->approved != 0)
            {
              char summary[256];

              if (demo->earliest_approval == 0 || list->approved < demo->earliest_approval)
                demo->earliest_approval = list->approved;

              /* Translators: audit history of the demo data; a load list reference */
              g_snprintf (summary, sizeof summary, _("Load list %s approved"), list->reference);
              queue_audit (demo, office_time (demo, list->approved), (gint) approver,
                           NS_LOAD_LIST, "approve", keep (demo, list->id), NULL, summary);
            }
        }
    }

  return TRUE;
}

/* The latest load list of @revenue received (and, with @approved, approved)
 * on or before @latest; the earliest one when none is. */
static const LoadList *
pick_list (Demo     *demo,
           Revenue   revenue,
           gint32    latest,
           gboolean  approved)
{
  const LoadList *earliest = NULL;
  gint i;

  for (i = N_LIST_SLOTS - 1; i >= 0; i--)
    {
      const LoadList *list = &demo->lists[i][revenue];

      if (list->id == NULL || (approved && list->approved == 0))
        continue;
      earliest = list;
      if ((approved ? list->approved : list->received) <= latest)
        return list;
    }
  return earliest;
}

/* ---- debtors ---------------------------------------------------------- */

static const Town *
pick_town (Demo       *demo,
           const char *country,
           gint        lang)
{
  guint weights[G_N_ELEMENTS (towns)];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (towns); i++)
    weights[i] = g_str_equal (towns[i].country, country)
                 && (lang < 0 || towns[i].lang == (Lang) lang) ? towns[i].weight : 0;

  return &towns[pick_weighted (demo, weights, G_N_ELEMENTS (towns))];
}

static const char *
pick_surname (Demo       *demo,
              DemoDebtor *d)
{
  switch (d->lang)
    {
    case LANG_DE:
      return PICK (demo, surnames_de);
    case LANG_FR:
      return PICK (demo, surnames_fr);
    case LANG_IT:
    case N_LANGS:
    default:
      return d->swiss && chance (demo, 400) ? PICK (demo, surnames_ti) : PICK (demo, surnames_it);
    }
}

static void
make_person (Demo       *demo,
             DemoDebtor *d)
{
  /* Old enough to have had debts for years; the deceased were older. */
  guint min_age = d->is_deceased ? 60 : 26;
  guint max_age = d->is_deceased ? 96 : 88;
  const GivenName *given;
  const char *surname = pick_surname (demo, d);

  if (d->lang == LANG_DE)
    given = &PICK (demo, given_de);
  else if (d->lang == LANG_FR)
    given = &PICK (demo, given_fr);
  else
    given = &PICK (demo, given_it);

  g_strlcpy (d->surname, surname, sizeof d->surname);
  g_strlcpy (d->given, given->name, sizeof d->given);
  d->sex = given->sex;
  g_snprintf (d->name, sizeof d->name, "%s %s", surname, given->name);
  d->birth = demo->today - (gint32) rnd (demo, min_age * 365, max_age * 365);
}

static void
make_company (Demo       *demo,
              DemoDebtor *d)
{
  static const char * const forms_it[] = { "Srl", "Srl", "Srl", "Srl", "Srl", "Srl", "Srl",
                                           "SpA", "Snc", "Snc" };
  static const char * const forms_ti[] = { "SA", "Sagl" };
  static const char * const forms_de[] = { "AG", "GmbH", "GmbH" };
  static const char * const forms_fr[] = { "SA", "Sàrl" };
  const char *sector;
  const char *form;

  if (d->lang == LANG_DE)
    {
      sector = PICK (demo, sectors_de);
      form = PICK (demo, forms_de);
    }
  else if (d->lang == LANG_FR)
    {
      sector = PICK (demo, sectors_fr);
      form = PICK (demo, forms_fr);
    }
  else
    {
      sector = PICK (demo, sectors_it);
      form = d->swiss ? PICK (demo, forms_ti) : PICK (demo, forms_it);
    }

  if (chance (demo, 650))
    {
      g_snprintf (d->name, sizeof d->name, "%s %s %s", pick_surname (demo, d), sector, form);
    }
  else
    {
      const char *prefix = PICK (demo, company_prefixes);
      const char *stem = PICK (demo, company_stems);

      g_snprintf (d->name, sizeof d->name, "%s%s %s", prefix, stem, form);
    }
}

static void
make_tax_id (Demo       *demo,
             DemoDebtor *d)
{
  char digits[32];

  if (!d->swiss && d->kind == ESA_DEBTOR_PERSON)
    {
      g_autofree char *surname = fold_letters (d->surname, TRUE);
      g_autofree char *given = fold_letters (d->given, TRUE);
      guint where = rnd (demo, 0, 99);
      const char *place;
      char *code = NULL;
      guint tries;

      if (where < 80)
        place = d->town->cadastral;
      else if (where < 92)
        place = pick_town (demo, "IT", -1)->cadastral;
      else
        place = PICK (demo, foreign_birth_places);

      /* Two people with the same code would need omocodia; moving the
       * invented birthday by a day is simpler and just as plausible. */
      for (tries = 0; tries < 50; tries++)
        {
          GDate birth;

          g_date_clear (&birth, 1);
          g_date_set_julian (&birth, (guint32) d->birth);
          code = esa_codice_fiscale_compose (surname, given, d->sex, &birth, place);
          if (code == NULL || !g_hash_table_contains (demo->tax_codes, code))
            break;
          g_clear_pointer (&code, g_free);
          d->birth--;
        }
      if (code != NULL)
        {
          d->tax_id = g_strdup (code);
          d->tax_id_kind = "cf";
          g_hash_table_add (demo->tax_codes, code);
        }
    }
  else if (!d->swiss)
    {
      static const char * const provinces[] = { "012", "015", "018", "019", "097" };

      /* A bijection of the counter onto 7 digits keeps the numbers unique. */
      g_snprintf (digits, sizeof digits, "%07" G_GUINT64_FORMAT "%s",
                  (demo->n_piva++ * 7919 + 4821937) % 10000000, PICK (demo, provinces));
      d->tax_id = esa_partita_iva_compose (digits);
      d->tax_id_kind = "piva";
    }
  else if (d->kind == ESA_DEBTOR_PERSON)
    {
      /* Enforcement offices do not always know the AHV number. */
      if (chance (demo, 30))
        return;
      g_snprintf (digits, sizeof digits, "%09" G_GUINT64_FORMAT,
                  (demo->n_ahv++ * 387420489 + 318570426) % 1000000000);
      d->tax_id = esa_ahv_compose (digits);
      d->tax_id_kind = "ahv";
    }
  else
    {
      while (d->tax_id == NULL)
        {
          g_snprintf (digits, sizeof digits, "%08" G_GUINT64_FORMAT,
                      (demo->n_uid++ * 4782969 + 40718263) % 100000000);
          d->tax_id = esa_uid_compose (digits);
        }
      d->tax_id_kind = "uid";
    }
}

static void
make_identity (Demo       *demo,
               DemoDebtor *d)
{
  static const guint swiss_langs[N_LANGS] = { 550, 300, 150 };
  guint ring;

  d->swiss = chance (demo, 400);
  if (d->swiss)
    {
      d->lang = (Lang) pick_weighted (demo, swiss_langs, N_LANGS);
      /* Most people live where their language is spoken. */
      d->town = pick_town (demo, "CH", chance (demo, 800) ? (gint) d->lang : -1);
      d->office = CH_OFFICE;
    }
  else
    {
      d->lang = LANG_IT;
      d->town = pick_town (demo, "IT", -1);
      d->office = d->town->office;
    }

  d->kind = chance (demo, 150) ? ESA_DEBTOR_COMPANY : ESA_DEBTOR_PERSON;

  /* Heirs and partners are earlier debtors of the same office. */
  ring = demo->n_recent_persons[d->swiss];
  if (ring > G_N_ELEMENTS (demo->recent_persons[0]))
    ring = G_N_ELEMENTS (demo->recent_persons[0]);
  if (d->kind == ESA_DEBTOR_PERSON && ring > 0 && chance (demo, 10))
    {
      d->is_deceased = TRUE;
      d->related[d->n_relations++] = demo->recent_persons[d->swiss][rnd (demo, 0, ring - 1)];
    }

  if (d->kind == ESA_DEBTOR_PERSON)
    make_person (demo, d);
  else
    make_company (demo, d);
  make_tax_id (demo, d);
  if (d->kind == ESA_DEBTOR_COMPANY && ring > 0 && chance (demo, 10))
    {
      guint first = rnd (demo, 0, ring - 1);

      d->is_ceased = TRUE;
      d->related[d->n_relations++] = demo->recent_persons[d->swiss][first];
      if (ring > 1 && chance (demo, 500))
        d->related[d->n_relations++] = demo->recent_persons[d->swiss][(first + 1) % ring];
    }
  d->is_insolvent = chance (demo, 5);
}

/* ---- cases ------------------------------------------------------------ */

static DemoAct *
add_act (Demo         *demo,
         DemoCase     *c,
         ActType       type,
         gint32        issued,
         NotifPattern  notif)
{
  DemoAct *act;

  g_assert (c->n_acts < MAX_ACTS);
  act = &c->acts[c->n_acts++];
  memset (act, 0, sizeof *act);
  act->type = type;
  act->notif = notif;
  act->issued = issued;

  switch (notif)
    {
    case NOTIF_ON_SITE:
      act->sent = act->delivered = issued;
      c->last = issued;
      break;

    case NOTIF_SENT:
      act->sent = issued + (gint32) rnd (demo, 1, 4);
      c->last = act->sent;
      break;

    case NOTIF_DELIVERED:
      act->sent = issued + (gint32) rnd (demo, 1, 4);
      act->delivered = act->sent + (gint32) rnd (demo, 2, 15);
      c->last = act->delivered;
      break;

    case NOTIF_FAILED_RESENT:
      act->sent = issued + (gint32) rnd (demo, 1, 4);
      act->failed = act->sent + (gint32) rnd (demo, 5, 20);
      /* The rules want a new attempt within about five days. */
      act->sent2 = act->failed + (gint32) rnd (demo, 3, 8);
      c->last = act->sent2;
      break;

    default:
      g_assert_not_reached ();
    }

  return act;
}

/* Small debts need a reminder before any measure; larger ones often get one. */
static void
maybe_remind (Demo     *demo,
              DemoCase *c,
              guint     per_mille)
{
  if (chance (demo, per_mille))
    add_act (demo, c, ACT_REMINDER, c->last + (gint32) rnd (demo, 61, 150), NOTIF_DELIVERED);
}

static void
set_deadline (DemoCase   *c,
              gint32      deadline,
              const char *label)
{
  c->deadline = deadline;
  c->deadline_label = label;
}

/* Lays out the events of an Italian case from day 1 (its opening) to the
 * latest event, and returns how long ago that event may lie. */
static void
build_it_timeline (Demo     *demo,
                   DemoCase *c,
                   guint    *age_min,
                   guint    *age_max)
{
  DemoAct *act;

  switch ((ItState) c->state)
    {
    case IT_INJUNCTION_ISSUED:
      act = add_act (demo, c, ACT_INJUNCTION, 1 + (gint32) rnd (demo, 0, 7), NOTIF_SENT);
      set_deadline (c, act->sent + 30, N_("Notification outcome expected"));
      *age_max = 25;
      return;

    case IT_NOTIFICATION_FAILED:
      act = add_act (demo, c, ACT_INJUNCTION, 1 + (gint32) rnd (demo, 0, 7),
                     NOTIF_FAILED_RESENT);
      set_deadline (c, act->sent2 + 30, N_("Outcome of the second delivery expected"));
      *age_max = 25;
      return;

    case IT_NOTIFIED:
    case IT_REMINDED:
    case IT_INSTALMENT_PLAN:
    case IT_LIEN_NOTICE:
    case IT_LIEN_REGISTERED:
    case IT_MORTGAGE_NOTICE:
    case IT_GARNISHMENT:
    case IT_SEIZURE:
    case IT_INSOLVENCY_CLAIM:
    case IT_SUSPENDED:
    case IT_PAID:
    case IT_UNCOLLECTABLE:
    case N_IT_STATES:
    default:
      add_act (demo, c, ACT_INJUNCTION, 1 + (gint32) rnd (demo, 0, 7), NOTIF_DELIVERED);
      break;
    }

  switch ((ItState) c->state)
    {
    case IT_NOTIFIED:
      set_deadline (c, c->last + 60, N_("Payment period ends"));
      *age_max = 120;
      break;

    case IT_REMINDED:
      maybe_remind (demo, c, 1000);
      set_deadline (c, c->last + 30, N_("Payment due after the reminder"));
      break;

    case IT_INSTALMENT_PLAN:
      maybe_remind (demo, c, 300);
      c->plan_decided = c->last + (gint32) rnd (demo, 10, 60);
      c->last = c->plan_decided;
      *age_min = 20;
      *age_max = 700;
      break;

    case IT_LIEN_NOTICE:
      maybe_remind (demo, c, 500);
      add_act (demo, c, ACT_VEHICLE_LIEN_NOTICE, c->last + (gint32) rnd (demo, 40, 180),
               NOTIF_DELIVERED);
      set_deadline (c, c->last + 30, N_("Lien notice period ends"));
      break;

    case IT_LIEN_REGISTERED:
      maybe_remind (demo, c, 500);
      add_act (demo, c, ACT_VEHICLE_LIEN_NOTICE, c->last + (gint32) rnd (demo, 40, 180),
               NOTIF_DELIVERED);
      act = add_act (demo, c, ACT_VEHICLE_LIEN, c->last + (gint32) rnd (demo, 31, 60),
                     NOTIF_DELIVERED);
      set_deadline (c, act->issued + 365, N_("Vehicle lien review"));
      *age_max = 300;
      break;

    case IT_MORTGAGE_NOTICE:
      maybe_remind (demo, c, 300);
      add_act (demo, c, ACT_MORTGAGE_NOTICE, c->last + (gint32) rnd (demo, 60, 200),
               NOTIF_DELIVERED);
      set_deadline (c, c->last + 30, N_("Mortgage notice period ends"));
      break;

    case IT_GARNISHMENT:
      maybe_remind (demo, c, 500);
      add_act (demo, c, ACT_GARNISHMENT_ORDER, c->last + (gint32) rnd (demo, 40, 200),
               NOTIF_DELIVERED);
      set_deadline (c, c->last + 60, N_("Third party payment due"));
      *age_max = 90;
      break;

    case IT_SEIZURE:
      maybe_remind (demo, c, 500);
      add_act (demo, c, ACT_SEIZURE_REPORT, c->last + (gint32) rnd (demo, 60, 250),
               NOTIF_ON_SITE);
      set_deadline (c, c->last + 90, N_("Forced sale to be arranged"));
      *age_max = 90;
      break;

    case IT_INSOLVENCY_CLAIM:
      add_act (demo, c, ACT_INSOLVENCY_CLAIM, c->last + (gint32) rnd (demo, 30, 400),
               NOTIF_DELIVERED);
      set_deadline (c, c->last + (gint32) rnd (demo, 60, 180),
                    N_("Hearing on the list of claims"));
      *age_max = 150;
      break;

    case IT_SUSPENDED:
      c->last += (gint32) rnd (demo, 10, 100);
      set_deadline (c, c->last + 30, N_("Creditor body's decision due"));
      *age_max = 45;
      break;

    case IT_PAID:
      maybe_remind (demo, c, 300);
      c->pay_on = c->closed = c->last += (gint32) rnd (demo, 5, 120);
      *age_max = 900;
      break;

    case IT_UNCOLLECTABLE:
      maybe_remind (demo, c, 1000);
      if (chance (demo, 500))
        add_act (demo, c, ACT_GARNISHMENT_ORDER, c->last + (gint32) rnd (demo, 40, 200),
                 NOTIF_DELIVERED);
      c->closed = c->last += (gint32) rnd (demo, 90, 300);
      *age_max = 900;
      break;

    case IT_INJUNCTION_ISSUED:
    case IT_NOTIFICATION_FAILED:
    case N_IT_STATES:
    default:
      g_assert_not_reached ();
    }
}

static void
build_ch_timeline (Demo     *demo,
                   DemoCase *c,
                   guint    *age_min,
                   guint    *age_max)
{
  DemoAct *act;
  gint32 served;

  switch ((ChState) c->state)
    {
    case CH_REQUESTED:
      set_deadline (c, c->last + 5, N_("Payment order to be issued"));
      *age_min = 0;
      *age_max = 4;
      return;

    case CH_ORDER_ISSUED:
      act = add_act (demo, c, ACT_PAYMENT_ORDER, 1 + (gint32) rnd (demo, 1, 5), NOTIF_SENT);
      set_deadline (c, act->sent + 20, N_("Service of the payment order expected"));
      *age_max = 20;
      return;

    case CH_WITHDRAWN:
      if (chance (demo, 700))
        add_act (demo, c, ACT_PAYMENT_ORDER, 1 + (gint32) rnd (demo, 1, 5), NOTIF_DELIVERED);
      c->closed = c->last += (gint32) rnd (demo, 5, 90);
      *age_max = 900;
      return;

    case CH_SERVED:
    case CH_OPPOSED:
    case CH_CONTINUABLE:
    case CH_SEIZED:
    case CH_LOSS_CERTIFICATE:
    case CH_PAID:
    case N_CH_STATES:
    default:
      add_act (demo, c, ACT_PAYMENT_ORDER, 1 + (gint32) rnd (demo, 1, 5), NOTIF_DELIVERED);
      break;
    }

  served = c->last;
  switch ((ChState) c->state)
    {
    case CH_SERVED:
      set_deadline (c, served + 10, N_("Opposition period ends"));
      *age_min = 0;
      *age_max = 20;
      break;

    case CH_OPPOSED:
      c->last = served + (gint32) rnd (demo, 1, 10);
      set_deadline (c, served + 365, N_("Right to continue lapses"));
      *age_max = 200;
      break;

    case CH_CONTINUABLE:
      c->last = served + 20;
      set_deadline (c, served + 365, N_("Right to continue lapses"));
      *age_max = 300;
      break;

    case CH_SEIZED:
      add_act (demo, c, ACT_SEIZURE_NOTICE, served + (gint32) rnd (demo, 25, 200),
               NOTIF_DELIVERED);
      set_deadline (c, c->last + 365, N_("Realisation request lapses"));
      *age_max = 300;
      break;

    case CH_LOSS_CERTIFICATE:
      add_act (demo, c, ACT_SEIZURE_NOTICE, served + (gint32) rnd (demo, 25, 200),
               NOTIF_DELIVERED);
      act = add_act (demo, c, ACT_LOSS_CERTIFICATE, c->last + (gint32) rnd (demo, 30, 120),
                     NOTIF_DELIVERED);
      c->closed = act->issued;
      *age_max = 900;
      break;

    case CH_PAID:
      if (chance (demo, 300))
        add_act (demo, c, ACT_SEIZURE_NOTICE, served + (gint32) rnd (demo, 25, 200),
                 NOTIF_DELIVERED);
      c->pay_on = c->closed = c->last += (gint32) rnd (demo, 5, 90);
      *age_max = 900;
      break;

    case CH_REQUESTED:
    case CH_ORDER_ISSUED:
    case CH_WITHDRAWN:
    case N_CH_STATES:
    default:
      g_assert_not_reached ();
    }
}

static void
shift_date (gint32 *date,
            gint32  shift)
{
  if (*date != 0)
    *date += shift;
}

/* Builds the case's events relative to its opening, then places them so
 * that the latest one lies a plausible while before the reference date. */
static void
build_timeline (Demo     *demo,
                DemoCase *c)
{
  guint age_min = 1;
  guint age_max = 60;
  gint32 min_open;
  gint32 max_age;
  gint32 age;
  gint32 shift;
  guint i;

  c->n_acts = 0;
  c->opened = c->last = 1;
  c->closed = c->deadline = c->pay_on = c->plan_decided = 0;
  c->deadline_label = NULL;

  if (c->swiss)
    build_ch_timeline (demo, c, &age_min, &age_max);
  else
    build_it_timeline (demo, c, &age_min, &age_max);

  /* An Italian case starts after its load list was approved. */
  if (!c->swiss && demo->earliest_approval != 0)
    min_open = demo->earliest_approval + 40;
  else
    min_open = demo->today - 6 * 365;

  age = (gint32) rnd (demo, age_min, age_max);
  max_age = demo->today - 1 - c->last - (min_open - 1);
  age = MAX (0, MIN (age, max_age));
  shift = demo->today - 1 - age - c->last;

  shift_date (&c->opened, shift);
  shift_date (&c->last, shift);
  shift_date (&c->closed, shift);
  shift_date (&c->deadline, shift);
  shift_date (&c->pay_on, shift);
  shift_date (&c->plan_decided, shift);
  for (i = 0; i < c->n_acts; i++)
    {
      shift_date (&c->acts[i].issued, shift);
      shift_date (&c->acts[i].sent, shift);
      shift_date (&c->acts[i].delivered, shift);
      shift_date (&c->acts[i].failed, shift);
      shift_date (&c->acts[i].sent2, shift);
    }
}

/* The first cases of each procedure go round all its states, so that even a
 * small demo shows every one; later ones follow the weights. */
static guint
choose_state (Demo     *demo,
              gboolean  swiss,
              gint      forced)
{
  guint n_states = swiss ? N_CH_STATES : N_IT_STATES;

  if (forced >= 0)
    return (guint) forced;
  if (demo->cover[swiss] < n_states)
    return demo->cover[swiss]++;
  return swiss ? pick_weighted (demo, ch_state_weights, N_CH_STATES)
               : pick_weighted (demo, it_state_weights, N_IT_STATES);
}

static void
plan_cases (Demo       *demo,
            DemoDebtor *d)
{
  /* About 3.3 positions per debtor on average. */
  static const guint position_weights[] = { 0, 18, 22, 20, 16, 11, 7, 4, 2 };
  static const guint swiss_body_weights[N_BODIES] = { 0, 40, 40, 20 };
  guint in_cases;
  guint i;

  d->n_positions = pick_weighted (demo, position_weights, G_N_ELEMENTS (position_weights));

  /* A Swiss office knows a debtor only from an enforcement request; an
   * Italian one also holds positions of load lists not yet pursued. */
  if (!d->swiss && chance (demo, 80))
    d->n_cases = 0;
  else if (d->n_positions >= 2 && chance (demo, 250))
    d->n_cases = 2;
  else
    d->n_cases = 1;

  in_cases = d->n_cases == 0 ? 0 : d->n_positions;
  if (!d->swiss && d->n_cases > 0 && d->n_positions >= 3 && chance (demo, 250))
    in_cases--;

  for (i = 0; i < d->n_cases; i++)
    {
      DemoCase *c = &d->cases[i];
      gint forced = -1;

      c->swiss = d->swiss;
      if (d->n_cases == 1)
        {
          c->first_position = 0;
          c->n_positions = in_cases;
        }
      else if (i == 0)
        {
          c->first_position = 0;
          c->n_positions = rnd (demo, 1, in_cases - 1);
        }
      else
        {
          c->first_position = d->cases[0].n_positions;
          c->n_positions = in_cases - c->first_position;
        }

      c->body = d->swiss ? pick_weighted (demo, swiss_body_weights, N_BODIES) : IT_BODY;
      c->officer = staff_of (demo, d->office, ESA_ROLE_OFFICER);

      if (!d->swiss && d->is_insolvent && i == d->n_cases - 1)
        forced = IT_INSOLVENCY_CLAIM;
      c->state = choose_state (demo, d->swiss, forced);
      if (!d->swiss && c->state == IT_INSOLVENCY_CLAIM)
        d->is_insolvent = TRUE;

      build_timeline (demo, c);
    }
}

/* ---- positions -------------------------------------------------------- */

static gint64
position_total (const DemoPosition *p)
{
  return p->principal + p->sanctions + p->interest + p->costs;
}

/* The Swiss payment order fee by claim (GebV SchKG art. 16), in Rappen. */
static gint64
payment_order_fee (gint64 claim)
{
  if (claim <= 10000)
    return 700;
  if (claim <= 50000)
    return 2000;
  if (claim <= 100000)
    return 4000;
  if (claim <= 1000000)
    return 6000;
  if (claim <= 10000000)
    return 9000;
  if (claim <= 100000000)
    return 19000;
  return 40000;
}

static void
make_amounts (Demo         *demo,
              DemoPosition *p,
              DemoCase     *c,
              gboolean      large)
{
  /* Traffic fines come in a few fixed amounts. */
  static const gint64 fines[] = { 4200, 8700, 17300, 5300, 16800, 42900, 8000, 33000, 2600,
                                  10900 };
  gint32 interest_until = c != NULL ? c->opened : demo->today;
  gint64 days = MAX (0, interest_until - p->due);

  switch (p->revenue)
    {
    case REV_IMU:
      if (large)
        p->principal = rnd (demo, 2000000, 4500000);
      else if (chance (demo, 10))
        p->principal = skewed_amount (demo, 2000000, 4800000);
      else
        p->principal = skewed_amount (demo, 12000, 400000);
      p->sanctions = p->principal * 30 / 100;
      break;

    case REV_TARI:
      p->principal = skewed_amount (demo, 9000, 95000);
      p->sanctions = p->principal * 30 / 100;
      break;

    case REV_FINE:
      p->principal = PICK (demo, fines);
      /* The 10% increase per half year late, up to 60%. */
      p->sanctions = p->principal * rnd (demo, 0, 6) / 10;
      break;

    case REV_WATER:
      p->principal = skewed_amount (demo, 4500, 130000);
      p->sanctions = chance (demo, 300) ? p->principal / 10 : 0;
      break;

    case REV_TAX:
      p->principal = skewed_amount (demo, 30000, 1800000);
      break;

    case REV_PREMIUM:
      /* A few months of premiums. */
      p->principal = rnd (demo, 1, 8);
      p->principal *= rnd (demo, 28000, 65000);
      break;

    case REV_CLAIM:
      p->principal = skewed_amount (demo, 6000, 250000);
      break;

    case N_REVENUES:
    default:
      g_assert_not_reached ();
    }

  if (p->revenue <= REV_WATER)
    {
      /* Legal interest at about 2% a year up to the case, fines excepted;
       * notification costs and the collection charge (3%, at most 300 EUR). */
      if (p->revenue != REV_FINE)
        p->interest = p->principal * days * 2 / 36500;
      p->costs = 588 + MIN (p->principal * 3 / 100, 30000);
      if (p->revenue == REV_FINE)
        p->costs += 1488;
    }
  else if (c != NULL && c->state != CH_REQUESTED)
    {
      /* The payment order fee and one delivery. */
      p->costs = payment_order_fee (p->principal) + 700;
    }
}

static void
make_position (Demo       *demo,
               DemoDebtor *d,
               guint       index,
               DemoCase   *c)
{
  static const guint it_revenue_weights[N_IT_REVENUES] = { 300, 350, 200, 150 };
  static const guint swiss_body_weights[N_BODIES] = { 0, 40, 40, 20 };
  DemoPosition *p = &d->positions[index];
  gboolean large = FALSE;
  guint64 n = demo->n_references++;
  char digits[32];
  char *code;

  memset (p, 0, sizeof *p);
  if (!d->swiss)
    {
      p->body = IT_BODY;
      p->revenue = (Revenue) pick_weighted (demo, it_revenue_weights, N_IT_REVENUES);
      /* A mortgage needs at least 20,000 EUR: one large IMU assessment. */
      if (c != NULL && c->state == IT_MORTGAGE_NOTICE && index == c->first_position)
        {
          p->revenue = REV_IMU;
          large = TRUE;
        }

      if (c != NULL)
        p->list = pick_list (demo, p->revenue, c->opened - 10 - (gint32) rnd (demo, 0, 400),
                             TRUE);
      else
        p->list = pick_list (demo, p->revenue, demo->today - 1, FALSE);

      if (p->list != NULL)
        {
          p->due = p->list->received - (gint32) rnd (demo, 30, 300);
          p->year = p->list->year;
        }
      else
        {
          p->due = (c != NULL ? c->opened : demo->today) - (gint32) rnd (demo, 60, 300);
          p->year = year_of (p->due);
        }
    }
  else
    {
      p->body = c != NULL ? c->body : pick_weighted (demo, swiss_body_weights, N_BODIES);
      p->revenue = bodies[p->body].revenue;
      p->due = (c != NULL ? c->opened : demo->today) - (gint32) rnd (demo, 20, 300);
      /* Taxes are assessed the year after the tax year. */
      p->year = year_of (p->due) - (p->revenue == REV_TAX ? 1 : 0);
    }

  make_amounts (demo, p, c, large);

  g_snprintf (p->reference, sizeof p->reference, "%s-%u-%07" G_GUINT64_FORMAT,
              revenues[p->revenue].reference_prefix, p->year, n + 1);
  if (!d->swiss)
    {
      /* The IUV base: two digits of the year, then a running number, so
       * that every notice number is unique. */
      g_snprintf (digits, sizeof digits, "%02u%011" G_GUINT64_FORMAT, p->year % 100, n + 1);
      code = esa_pagopa_notice_compose (3, bodies[p->body].segregation_code, digits);
    }
  else
    {
      g_snprintf (digits, sizeof digits, "%s%020" G_GUINT64_FORMAT, bodies[p->body].qr_prefix,
                  n + 1);
      code = esa_qr_reference_compose (digits);
    }
  g_strlcpy (p->payment_reference, code != NULL ? code : "", sizeof p->payment_reference);
  g_free (code);
}

/* ---- payments and instalment plans ------------------------------------ */

static const char *
payment_channel (Demo     *demo,
                 gboolean  swiss)
{
  guint r = rnd (demo, 0, 99);

  if (swiss)
    return r < 80 ? "qr-bill" : r < 95 ? "bank" : "cash";
  return r < 75 ? "pagopa" : r < 90 ? "bank" : "cash";
}

static void
add_payment (Demo        *demo,
             DemoDebtor  *d,
             guint        position,
             gint         case_index,
             gint64       amount,
             gint32       paid_on,
             const char  *channel,
             const char  *reference)
{
  DemoPayment payment;

  if (amount <= 0)
    return;

  payment.position = position;
  payment.case_index = case_index;
  payment.amount = amount;
  payment.paid_on = paid_on;
  payment.channel = channel;
  payment.reference = reference;
  g_array_append_val (demo->payments, payment);
  d->positions[position].paid += amount;
}

/* The first day a payment can follow: after the first act reached the
 * debtor (or after the opening when nothing was issued). */
static gint32
first_payable_day (const DemoCase *c)
{
  guint i;

  for (i = 0; i < c->n_acts; i++)
    if (c->acts[i].delivered != 0)
      return c->acts[i].delivered + 1;
  return c->opened + 1;
}

static guint
instalment_count (Demo   *demo,
                  gint64  total)
{
  /* The default scheme of L. 160/2019 c. 796 (DOMAIN.md), in cents. */
  if (total <= 50000)
    return rnd (demo, 2, 4);
  if (total <= 300000)
    return rnd (demo, 5, 12);
  if (total <= 600000)
    return rnd (demo, 13, 24);
  if (total <= 2000000)
    return rnd (demo, 25, 36);
  return rnd (demo, 37, 72);
}

static void
make_plan (Demo       *demo,
           DemoDebtor *d,
           gint        case_index)
{
  DemoCase *c = &d->cases[case_index];
  gint32 first_due = c->plan_decided + 30;
  gint64 total = 0;
  gint64 each;
  guint elapsed = 0;
  guint missed;
  guint n;
  guint k;

  for (k = c->first_position; k < c->first_position + c->n_positions; k++)
    total += position_total (&d->positions[k]) - d->positions[k].paid;

  n = instalment_count (demo, total);
  while (elapsed < 120 && add_months (first_due, elapsed) < demo->today)
    elapsed++;
  if (n <= elapsed)
    n = elapsed + rnd (demo, 1, 6);
  /* Now and then the latest instalment is late. */
  missed = elapsed >= 2 && chance (demo, 100) ? elapsed - 1 : G_MAXUINT;

  each = total / n;
  g_array_set_size (demo->instalments, n);
  for (k = 0; k < n; k++)
    {
      DemoInstalment *instalment = &g_array_index (demo->instalments, DemoInstalment, k);
      g_autofree char *code = NULL;
      char digits[32];

      instalment->due = add_months (first_due, k);
      instalment->amount = k == 0 ? total - each * (n - 1) : each;
      instalment->paid = k < elapsed && k != missed;
      g_snprintf (digits, sizeof digits, "9%012" G_GUINT64_FORMAT,
                  ++demo->n_instalment_references);
      code = esa_pagopa_notice_compose (3, bodies[c->body].segregation_code, digits);
      g_strlcpy (instalment->reference, code != NULL ? code : "", sizeof instalment->reference);
    }

  /* Each instalment paid pays the case's positions in order. */
  for (k = 0; k < n; k++)
    {
      DemoInstalment *instalment = &g_array_index (demo->instalments, DemoInstalment, k);
      gint64 left = instalment->amount;
      gint32 paid_on;
      guint p;

      if (!instalment->paid)
        {
          if (c->deadline == 0)
            set_deadline (c, instalment->due, N_("Next instalment due"));
          continue;
        }

      paid_on = instalment->due - (gint32) rnd (demo, 0, 5);
      for (p = c->first_position; p < c->first_position + c->n_positions && left > 0; p++)
        {
          DemoPosition *position = &d->positions[p];
          gint64 part = MIN (left, position_total (position) - position->paid);

          add_payment (demo, d, p, case_index, part, paid_on, "pagopa", instalment->reference);
          left -= part;
        }
    }

  d->plan_case = case_index;
  d->plan_decided = c->plan_decided;
  d->plan_first_due = first_due;
  d->plan_total = total;
}

static gboolean
takes_partial_payments (const DemoCase *c)
{
  if (c->swiss)
    return c->state == CH_OPPOSED || c->state == CH_CONTINUABLE || c->state == CH_SEIZED;

  switch ((ItState) c->state)
    {
    case IT_NOTIFIED:
    case IT_REMINDED:
    case IT_LIEN_NOTICE:
    case IT_LIEN_REGISTERED:
    case IT_MORTGAGE_NOTICE:
    case IT_GARNISHMENT:
    case IT_SEIZURE:
      return TRUE;

    case IT_INJUNCTION_ISSUED:
    case IT_NOTIFICATION_FAILED:
    case IT_INSTALMENT_PLAN:
    case IT_INSOLVENCY_CLAIM:
    case IT_SUSPENDED:
    case IT_PAID:
    case IT_UNCOLLECTABLE:
    case N_IT_STATES:
    default:
      return FALSE;
    }
}

static void
make_case_payments (Demo       *demo,
                    DemoDebtor *d,
                    gint        case_index)
{
  DemoCase *c = &d->cases[case_index];
  gint32 first_day = first_payable_day (c);
  gboolean paid = c->swiss ? c->state == CH_PAID : c->state == IT_PAID;
  guint p;

  if (paid)
    {
      for (p = c->first_position; p < c->first_position + c->n_positions; p++)
        {
          DemoPosition *position = &d->positions[p];
          gint64 total = position_total (position);

          /* Some pay in two goes, the rest at once. */
          if (total >= 200 && chance (demo, 200))
            {
              gint32 day = c->pay_on - (gint32) rnd (demo, 15, 90);
              gint64 part = total * rnd (demo, 20, 70) / 100;
              const char *channel = payment_channel (demo, c->swiss);

              add_payment (demo, d, p, case_index, part, MAX (first_day, day), channel,
                           position->payment_reference);
            }
          add_payment (demo, d, p, case_index, total - position->paid, c->pay_on,
                       payment_channel (demo, c->swiss), position->payment_reference);
        }
      return;
    }

  if (!c->swiss && c->state == IT_INSTALMENT_PLAN)
    {
      make_plan (demo, d, case_index);
      return;
    }

  if (takes_partial_payments (c) && first_day < demo->today)
    {
      gboolean garnished = !c->swiss && c->state == IT_GARNISHMENT;

      /* A garnished employer or bank pays part; others pay on account. */
      if (chance (demo, garnished ? 400 : 150))
        {
          DemoPosition *position;
          gint64 part;
          gint32 day;
          const char *channel;

          p = c->first_position + rnd (demo, 0, c->n_positions - 1);
          position = &d->positions[p];
          part = position_total (position) * rnd (demo, 10, 60) / 100;
          day = (gint32) rnd (demo, first_day, demo->today - 1);
          channel = garnished ? "bank" : payment_channel (demo, c->swiss);
          add_payment (demo, d, p, case_index, part, day, channel, position->payment_reference);
        }
    }
}

/* Positions not in a case yet: a few already paid, some paid in part. */
static void
make_loose_payments (Demo       *demo,
                     DemoDebtor *d,
                     guint       p)
{
  DemoPosition *position = &d->positions[p];
  gint64 total = position_total (position);
  gint32 first_day = position->due + 1;
  guint r;

  if (first_day >= demo->today)
    return;

  r = rnd (demo, 0, 999);
  if (r < 50)
    {
      gint32 day = position->due + (gint32) rnd (demo, 1, 60);
      const char *channel = payment_channel (demo, d->swiss);

      add_payment (demo, d, p, -1, total, MIN (demo->today - 1, day), channel,
                   position->payment_reference);
    }
  else if (r < 130)
    {
      gint64 part = total * rnd (demo, 10, 60) / 100;
      gint32 day = (gint32) rnd (demo, first_day, demo->today - 1);
      const char *channel = payment_channel (demo, d->swiss);

      add_payment (demo, d, p, -1, part, day, channel, position->payment_reference);
    }
}

static const char *
position_state (const DemoPosition *p,
                const DemoCase     *c)
{
  if (p->paid >= position_total (p))
    return "paid";
  if (c == NULL)
    return "open";
  if (c->swiss)
    {
      if (c->state == CH_LOSS_CERTIFICATE)
        return "written_off";
      if (c->state == CH_WITHDRAWN)
        return "cancelled";
      return "open";
    }
  if (c->state == IT_SUSPENDED)
    return "suspended";
  if (c->state == IT_UNCOLLECTABLE)
    return "written_off";
  return "open";
}

/* Positions, amounts, payments and the debtor's own dates. */
static void
complete_debtor (Demo       *demo,
                 DemoDebtor *d)
{
  guint i;
  guint p;

  g_array_set_size (demo->payments, 0);
  d->plan_case = -1;
  d->registered = 0;

  for (i = 0; i < d->n_cases; i++)
    {
      DemoCase *c = &d->cases[i];

      for (p = c->first_position; p < c->first_position + c->n_positions; p++)
        make_position (demo, d, p, c);
    }
  p = d->n_cases > 0 ? d->cases[d->n_cases - 1].first_position
                       + d->cases[d->n_cases - 1].n_positions : 0;
  for (; p < d->n_positions; p++)
    make_position (demo, d, p, NULL);

  for (i = 0; i < d->n_cases; i++)
    {
      DemoCase *c = &d->cases[i];

      c->total = 0;
      for (p = c->first_position; p < c->first_position + c->n_positions; p++)
        c->total += position_total (&d->positions[p]);
      make_case_payments (demo, d, (gint) i);
    }
  p = d->n_cases > 0 ? d->cases[d->n_cases - 1].first_position
                       + d->cases[d->n_cases - 1].n_positions : 0;
  for (; p < d->n_positions; p++)
    make_loose_payments (demo, d, p);

  /* The office heard of the debtor with the first load list naming them,
   * or (in Switzerland) with the first enforcement request. */
  for (p = 0; p < d->n_positions; p++)
    {
      const DemoPosition *position = &d->positions[p];
      gint32 day = position->list != NULL ? position->list->received : position->due + 15;

      if (d->registered == 0 || day < d->registered)
        {
          d->registered = day;
          d->registered_list = position->list;
        }
    }
  for (i = 0; i < d->n_cases; i++)
    if (d->swiss && (d->registered == 0 || d->cases[i].opened < d->registered))
      d->registered = d->cases[i].opened;
  d->registered = MIN (d->registered, demo->today - 1);

  /* The heirs are being pursued: the death is recent. */
  if (d->is_deceased)
    d->deceased = demo->today - (gint32) rnd (demo, 10, 400);
  if (d->is_ceased)
    d->ceased = demo->today - (gint32) rnd (demo, 60, 1500);
  if (d->is_insolvent)
    {
      d->insolvent = demo->today - (gint32) rnd (demo, 30, 700);
      for (i = 0; i < d->n_cases; i++)
        if (!d->cases[i].swiss && d->cases[i].state == IT_INSOLVENCY_CLAIM)
          d->insolvent = d->cases[i].acts[d->cases[i].n_acts - 1].issued
                         - (gint32) rnd (demo, 20, 120);
    }
}

/* ---- writing one debtor ----------------------------------------------- */

static const DemoCase *
case_of_position (const DemoDebtor *d,
                  guint             p)
{
  guint i;

  for (i = 0; i < d->n_cases; i++)
    if (p >= d->cases[i].first_position
        && p < d->cases[i].first_position + d->cases[i].n_positions)
      return &d->cases[i];
  return NULL;
}

static void
make_street (Demo       *demo,
             Lang        lang,
             char       *out,
             gsize       size)
{
  static const char * const suffixes[] = { "", "", "", "", "", "", "", "", "a", "b" };
  const char *street;
  const char *suffix;
  guint number;

  if (lang == LANG_DE)
    street = PICK (demo, streets_de);
  else if (lang == LANG_FR)
    street = PICK (demo, streets_fr);
  else
    street = PICK (demo, streets_it);
  number = rnd (demo, 1, 160);
  suffix = PICK (demo, suffixes);
  g_snprintf (out, size, "%s %u%s", street, number, suffix);
}

static gboolean
write_addresses (Demo        *demo,
                 DemoDebtor  *d,
                 GError     **error)
{
  const char *country = d->swiss ? "CH" : "IT";
  gint32 adult = d->kind == ESA_DEBTOR_PERSON ? d->birth + 18 * 366 : 0;
  gint32 from = d->registered - (gint32) rnd (demo, 100, 5000);
  char street[96];
  g_autofree char *id = NULL;

  from = MAX (adult, from);
  make_street (demo, d->lang, street, sizeof street);
  id = next_id (demo, NS_ADDRESS);
  if (!insert_row (demo, STMT_ADDRESS, error, "ssssssdd", id, d->id, street, d->town->postcode,
                   d->town->name, country, from, 0))
    return FALSE;

  /* One in ten moved here from somewhere else, as an adult. */
  if (chance (demo, 100))
    {
      const Town *town = pick_town (demo, country, d->swiss ? (gint) d->lang : -1);
      gint32 to = from - 1;
      gint32 old_from = to - (gint32) rnd (demo, 400, 4000);
      g_autofree char *old_id = NULL;

      old_from = MAX (adult, old_from);
      if (old_from >= to)
        return TRUE;

      make_street (demo, d->lang, street, sizeof street);
      old_id = next_id (demo, NS_ADDRESS);
      if (!insert_row (demo, STMT_ADDRESS, error, "ssssssdd", old_id, d->id, street,
                       town->postcode, town->name, country, old_from, to))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_contact (Demo        *demo,
               DemoDebtor  *d,
               const char  *kind,
               const char  *value,
               GError     **error)
{
  g_autofree char *id = next_id (demo, NS_CONTACT);

  return insert_row (demo, STMT_CONTACT, error, "ssss", id, d->id, kind, value);
}

static gboolean
write_contacts (Demo        *demo,
                DemoDebtor  *d,
                GError     **error)
{
  gboolean company = d->kind == ESA_DEBTOR_COMPANY;
  char value[160];

  if (chance (demo, company ? 600 : 400))
    {
      /* The 555 block marks the numbers as fictional. */
      const char *prefix = d->swiss ? PICK (demo, mobile_prefixes_ch)
                                    : PICK (demo, mobile_prefixes_it);
      guint line = rnd (demo, 0, 9999);

      if (d->swiss)
        g_snprintf (value, sizeof value, "+41 %s 555 %02u %02u", prefix, line / 100, line % 100);
      else
        g_snprintf (value, sizeof value, "+39 %s 555 %04u", prefix, line);
      if (!write_contact (demo, d, "phone", value, error))
        return FALSE;
    }

  if (chance (demo, company ? 500 : 250))
    {
      if (company)
        {
          g_autofree char *slug = fold_letters (d->name, FALSE);

          g_snprintf (value, sizeof value, "info@%.40s.%s", slug, PICK (demo, mail_domains));
        }
      else
        {
          g_autofree char *given = fold_letters (d->given, FALSE);
          g_autofree char *surname = fold_letters (d->surname, FALSE);

          if (chance (demo, 300))
            g_snprintf (value, sizeof value, "%s.%s%02u@%s", given, surname,
                        year_of (d->birth) % 100, PICK (demo, mail_domains));
          else
            g_snprintf (value, sizeof value, "%s.%s@%s", given, surname,
                        PICK (demo, mail_domains));
        }
      if (!write_contact (demo, d, "email", value, error))
        return FALSE;
    }

  /* Italian companies must have a certified mailbox (PEC). */
  if (company && !d->swiss && chance (demo, 700))
    {
      g_autofree char *slug = fold_letters (d->name, FALSE);

      g_snprintf (value, sizeof value, "%.40s@pec.example.net", slug);
      if (!write_contact (demo, d, "pec", value, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_relations (Demo        *demo,
                 DemoDebtor  *d,
                 GError     **error)
{
  /* Translators: notes on relations between debtors in the demo data */
  static const char * const heir_notes[] = {
    N_("Accepted the inheritance"), N_("Inheritance not accepted yet"),
  };
  guint i;

  for (i = 0; i < d->n_relations; i++)
    {
      g_autofree char *id = next_id (demo, NS_RELATION);
      g_autofree char *other = debtor_id (demo, d->related[i]);
      const char *note = d->is_deceased ? _(PICK (demo, heir_notes))
                                        : _("Partner when the company ceased trading");

      if (!insert_row (demo, STMT_RELATION, error, "sssss", id, d->id, other,
                       d->is_deceased ? "heir" : "partner", note))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_positions (Demo        *demo,
                 DemoDebtor  *d,
                 GError     **error)
{
  guint p;

  for (p = 0; p < d->n_positions; p++)
    {
      DemoPosition *position = &d->positions[p];

      position->state = position_state (position, case_of_position (d, p));
      position->id = next_id (demo, NS_POSITION);
      if (!insert_row (demo, STMT_POSITION, error, "sssssissdsiiiiis", position->id, d->id,
                       demo->body_ids[position->body],
                       position->list != NULL ? position->list->id : NULL,
                       revenues[position->revenue].id, (gint64) position->year,
                       position->reference, position->payment_reference, position->due,
                       bodies[position->body].currency, position->principal, position->sanctions,
                       position->interest, position->costs, position->paid, position->state))
        return FALSE;
    }

  return TRUE;
}

static const char *
notification_method (Demo       *demo,
                     DemoDebtor *d,
                     ActType     type)
{
  if (type == ACT_SEIZURE_REPORT)
    return "messenger";
  if (type == ACT_INSOLVENCY_CLAIM)
    return "pec";
  if (d->swiss)
    return type == ACT_PAYMENT_ORDER && chance (demo, 600) ? "messenger" : "post";
  if (d->kind == ESA_DEBTOR_COMPANY && chance (demo, 700))
    return "pec";
  return chance (demo, 150) ? "messenger" : "post";
}

/* @out_id: (out) (transfer full): the act's id, for the case event that
 * produced it */
static gboolean
write_act (Demo        *demo,
           DemoDebtor  *d,
           DemoCase    *c,
           DemoAct     *act,
           char       **out_id,
           GError     **error)
{
  g_autofree char *id = next_id (demo, NS_ACT);
  g_autofree char *notification = NULL;
  const char *method = notification_method (demo, d, act->type);
  guint year = year_of (act->issued);
  gint slot = (gint) year - ((gint) demo->today_year - (N_SEQ_YEARS - 1));
  char number[32];

  slot = CLAMP (slot, 0, N_SEQ_YEARS - 1);

  g_snprintf (number, sizeof number, "%s-%u-%06u", act_types[act->type].prefix, year,
              ++demo->act_seq[act->type][slot]);
  if (!insert_row (demo, STMT_ACT, error, "sssssdsi", id, c->id, d->id, act_types[act->type].id,
                   number, act->issued, demo->user_ids[c->officer], c->total))
    return FALSE;
  if (act == &c->acts[c->n_acts - 1])
    act->audit_id = keep (demo, id);
  act->method = method;
  *out_id = g_strdup (id);

  notification = next_id (demo, NS_NOTIFICATION);
  switch (act->notif)
    {
    case NOTIF_DELIVERED:
    case NOTIF_ON_SITE:
      return insert_row (demo, STMT_NOTIFICATION, error, "ssissddds", notification, id,
                         (gint64) 1, method, "delivered", act->sent, act->delivered, 0, NULL);

    case NOTIF_SENT:
      return insert_row (demo, STMT_NOTIFICATION, error, "ssissddds", notification, id,
                         (gint64) 1, method, "sent", act->sent, 0, 0, NULL);

    case NOTIF_FAILED_RESENT:
      {
        g_autofree char *second = NULL;

        act->failure = rnd (demo, 0, G_N_ELEMENTS (failure_reasons) - 1);
        if (!insert_row (demo, STMT_NOTIFICATION, error, "ssissddds", notification, id,
                         (gint64) 1, method, "failed", act->sent, 0, act->failed,
                         _(failure_reasons[act->failure])))
          return FALSE;

        /* The second attempt goes by the municipal messenger. */
        second = next_id (demo, NS_NOTIFICATION);
        return insert_row (demo, STMT_NOTIFICATION, error, "ssissddds", second, id, (gint64) 2,
                           "messenger", "sent", act->sent2, 0, 0, NULL);
      }

    default:
      g_assert_not_reached ();
    }
}

/* ---- case events ------------------------------------------------------ */

/* The steps of a case's procedure that led it to its state, as the case
 * events esa_store_case_do() would have recorded: the dates and the other
 * fields the procedure's guards and deadlines read ("served_on",
 * "notified_on", …), so that the next steps of a demo case are evaluated as
 * for a real one. They take no random draws: the rest of the data stays as
 * it was. */

typedef struct
{
  Demo        *demo;
  DemoCase    *c;
  char       **act_ids;     /* of the case's acts */
  gint64       seq;
  const char  *state;       /* after the last step written */
} Steps;

/* The notification methods of the demo acts as choices of record_notification. */
static const char *
method_choice (const char *method)
{
  if (g_strcmp0 (method, "pec") == 0)
    return "pec";
  if (g_strcmp0 (method, "messenger") == 0)
    return "messenger";
  return "registered_post";
}

/* The ids of the choices of record_failed_delivery, in the order of
 * failure_reasons. */
static const char * const failure_choices[] = { "unknown", "moved", "refused", "not_collected" };

G_STATIC_ASSERT (G_N_ELEMENTS (failure_choices) == G_N_ELEMENTS (failure_reasons));

/* Translators: goods seized on site in the demo data */
static const char * const seized_goods[] = {
  N_("Television set"), N_("Motorcycle"), N_("Antique chest of drawers"), N_("Personal computer"),
  N_("Painting"), N_("Espresso machine for a bar"),
};

static void
fields_begin (Steps *s)
{
  g_string_assign (s->demo->fields, "{");
}

static void
fields_name (Steps      *s,
             const char *name)
{
  if (s->demo->fields->len > 1)
    g_string_append_c (s->demo->fields, ',');
  g_string_append_printf (s->demo->fields, "\"%s\":", name);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if ((guchar) *p < 0x20)
        {
          g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
field_text (Steps      *s,
            const char *name,
            const char *text)
{
  fields_name (s, name);
  append_json_string (s->demo->fields, text);
}

static void
field_date (Steps      *s,
            const char *name,
            gint32      julian)
{
  char date[11];

  format_date (julian, date);
  field_text (s, name, date);
}

static void
field_int (Steps      *s,
           const char *name,
           gint64      value)
{
  fields_name (s, name);
  g_string_append_printf (s->demo->fields, "%" G_GINT64_FORMAT, value);
}

/* Writes the step with the fields begun by fields_begin(); @act is the
 * index of the act it produced, -1 for none. */
static gboolean
step (Steps       *s,
      const char  *action,
      gint32       on,
      const char  *to,
      gint         act,
      GError     **error)
{
  Demo *demo = s->demo;
  g_autofree char *id = next_id (demo, NS_CASE_EVENT);
  char recorded_at[24];

  g_string_append_c (demo->fields, '}');
  format_date (on, recorded_at);
  g_strlcat (recorded_at, "T16:00:00Z", sizeof recorded_at);

  if (!insert_row (demo, STMT_CASE_EVENT, error, "ssisdsssss", id, s->c->id, s->seq, action, on,
                   recorded_at, demo->user_ids[s->c->officer], s->state, to,
                   demo->fields->str))
    return FALSE;
  if (act >= 0
      && !insert_row (demo, STMT_CASE_EVENT_ACT, error, "ss", id, s->act_ids[act]))
    return FALSE;

  s->seq++;
  s->state = to;
  return TRUE;
}

/* The measure of an Italian case that an act after the injunction stands
 * for. */
static gboolean
it_act_step (Steps       *s,
             DemoDebtor  *d,
             guint        k,
             GError     **error)
{
  const DemoAct *act = &s->c->acts[k];
  guint n = (guint) s->demo->counters[NS_CASE_EVENT];
  char text[64];

  fields_begin (s);
  switch (act->type)
    {
    case ACT_REMINDER:
      field_date (s, "reminded_on", act->issued);
      return step (s, "send_reminder", act->issued, "reminded", (gint) k, error);

    case ACT_VEHICLE_LIEN_NOTICE:
      /* An invented plate of the Italian pattern: two letters, three
       * digits, two letters. */
      g_snprintf (text, sizeof text, "%c%c%03u%c%c", 'A' + n % 26, 'B' + n / 26 % 24, n % 1000,
                  'C' + n / 7 % 23, 'D' + n / 11 % 22);
      field_date (s, "lien_notice_on", act->delivered);
      field_text (s, "plate", text);
      return step (s, "send_lien_notice", act->issued, "lien_notice", (gint) k, error);

    case ACT_VEHICLE_LIEN:
      field_date (s, "lien_registered_on", act->issued);
      return step (s, "register_lien", act->issued, "lien_registered", (gint) k, error);

    case ACT_MORTGAGE_NOTICE:
      /* Translators: land register data of a property in the demo data */
      g_snprintf (text, sizeof text, _("Sheet %u, parcel %u"), 1 + n % 40, 100 + n % 900);
      field_date (s, "mortgage_notice_on", act->delivered);
      field_text (s, "property", text);
      return step (s, "send_mortgage_notice", act->issued, "mortgage_notice", (gint) k, error);

    case ACT_GARNISHMENT_ORDER:
      field_date (s, "garnished_on", act->issued);
      field_text (s, "third_party_kind", d->kind == ESA_DEBTOR_PERSON ? "employer" : "bank");
      field_text (s, "third_party", d->kind == ESA_DEBTOR_PERSON ? "Esempio Servizi S.r.l."
                                                                 : "Banca di Esempio");
      return step (s, "garnish", act->issued, "garnishment", (gint) k, error);

    case ACT_SEIZURE_REPORT:
      field_date (s, "seized_on", act->issued);
      fields_name (s, "seized_items");
      g_string_append (s->demo->fields, "[{\"description\":");
      append_json_string (s->demo->fields, _(seized_goods[n % G_N_ELEMENTS (seized_goods)]));
      g_string_append_printf (s->demo->fields, ",\"estimated_value\":%u}]",
                              (n % 40 + 2) * 5000);
      return step (s, "seize_on_site", act->issued, "seizure", (gint) k, error);

    case ACT_INSOLVENCY_CLAIM:
      field_date (s, "papers_received_on", act->issued);
      field_text (s, "proceedings", _("Bankruptcy proceedings at the court of Esempio"));
      if (!step (s, "open_insolvency_claim", act->issued, "insolvency_claim", -1, error))
        return FALSE;
      fields_begin (s);
      field_date (s, "claim_filed_on", act->issued);
      field_int (s, "claimed_amount", s->c->total);
      return step (s, "file_insolvency_claim", act->issued, "insolvency_claim", (gint) k, error);

    case ACT_INJUNCTION:
    case ACT_PAYMENT_ORDER:
    case ACT_SEIZURE_NOTICE:
    case ACT_LOSS_CERTIFICATE:
    case N_ACT_TYPES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
write_it_steps (Steps       *s,
                DemoDebtor  *d,
                GError     **error)
{
  DemoCase *c = s->c;
  const DemoAct *injunction = &c->acts[0];
  guint k;

  /* The load list was approved before the case opened. */
  s->state = "approved";
  fields_begin (s);
  field_date (s, "issued_on", injunction->issued);
  if (!step (s, "issue_injunction", injunction->issued, "injunction_issued", 0, error))
    return FALSE;

  if (injunction->notif == NOTIF_SENT)
    return TRUE;
  if (injunction->notif == NOTIF_FAILED_RESENT)
    {
      fields_begin (s);
      field_date (s, "delivery_failed_on", injunction->failed);
      field_text (s, "failure_reason", failure_choices[injunction->failure]);
      return step (s, "record_failed_delivery", injunction->failed, "notification_failed", -1,
                   error);
    }

  fields_begin (s);
  field_date (s, "notified_on", injunction->delivered);
  field_text (s, "notification_method", method_choice (injunction->method));
  if (!step (s, "record_notification", injunction->delivered, "notified", -1, error))
    return FALSE;

  for (k = 1; k < c->n_acts; k++)
    {
      if (!it_act_step (s, d, k, error))
        return FALSE;
    }

  fields_begin (s);
  switch ((ItState) c->state)
    {
    case IT_INSTALMENT_PLAN:
      field_date (s, "plan_requested_on", c->plan_decided - 10);
      field_date (s, "plan_decided_on", c->plan_decided);
      field_date (s, "first_due_on", c->plan_decided + 30);
      /* The debtor's plan row is that of their last case with a plan. */
      field_int (s, "instalments", d->plan_case >= 0 && &d->cases[d->plan_case] == c
                                   ? (gint64) s->demo->instalments->len : 12);
      return step (s, "grant_instalment_plan", c->plan_decided, "instalment_plan", -1, error);

    case IT_SUSPENDED:
      field_date (s, "suspended_on", c->last);
      field_text (s, "suspension_reason", _("Relief request under review"));
      return step (s, "suspend", c->last, "suspended", -1, error);

    case IT_PAID:
      field_date (s, "paid_on", c->pay_on);
      return step (s, "close_paid", c->pay_on, "paid", -1, error);

    case IT_UNCOLLECTABLE:
      field_date (s, "closed_on", c->closed);
      field_text (s, "uncollectable_reason", "no_assets");
      field_text (s, "measures_tried", _("Reminder and garnishment tried; no assets found"));
      return step (s, "close_uncollectable", c->closed, "uncollectable", -1, error);

    case IT_INJUNCTION_ISSUED:
    case IT_NOTIFIED:
    case IT_NOTIFICATION_FAILED:
    case IT_REMINDED:
    case IT_LIEN_NOTICE:
    case IT_LIEN_REGISTERED:
    case IT_MORTGAGE_NOTICE:
    case IT_GARNISHMENT:
    case IT_SEIZURE:
    case IT_INSOLVENCY_CLAIM:
    case N_IT_STATES:
    default:
      return TRUE;
    }
}

static gboolean
write_ch_steps (Steps   *s,
                GError **error)
{
  DemoCase *c = s->c;
  const DemoAct *order = &c->acts[0];
  guint n = (guint) s->demo->counters[NS_CASE_EVENT];

  s->state = "requested";
  if (c->n_acts > 0)
    {
      fields_begin (s);
      field_date (s, "order_issued_on", order->issued);
      if (!step (s, "issue_payment_order", order->issued, "order_issued", 0, error))
        return FALSE;
      if (order->notif == NOTIF_SENT)
        return TRUE;

      fields_begin (s);
      field_date (s, "served_on", order->delivered);
      field_text (s, "served_to", n % 3 == 0 ? _("A member of the household")
                                             : _("The debtor in person"));
      if (!step (s, "serve", order->delivered, "served", -1, error))
        return FALSE;
    }

  /* The seizure notice follows a request to continue; the seizure itself
   * is carried out when it is delivered. */
  if (c->n_acts > 1)
    {
      const DemoAct *notice = &c->acts[1];

      fields_begin (s);
      field_date (s, "continuation_requested_on", notice->issued);
      if (!step (s, "request_continuation", notice->issued, "continuation_requested", 1, error))
        return FALSE;
      fields_begin (s);
      field_date (s, "seized_on", notice->delivered);
      field_text (s, "seizure_kind", n % 2 == 0 ? "wages" : "goods");
      if (!step (s, "seize", notice->delivered, "seized", -1, error))
        return FALSE;
    }

  fields_begin (s);
  switch ((ChState) c->state)
    {
    case CH_OPPOSED:
      field_date (s, "opposed_on", c->last);
      return step (s, "record_opposition", c->last, "opposed", -1, error);

    case CH_CONTINUABLE:
      return step (s, "confirm_no_opposition", c->last, "continuable", -1, error);

    case CH_LOSS_CERTIFICATE:
      field_date (s, "loss_certified_on", c->acts[2].issued);
      field_int (s, "uncovered", c->total);
      return step (s, "issue_loss_certificate", c->acts[2].issued, "loss_certificate", 2, error);

    case CH_PAID:
      field_date (s, "paid_on", c->pay_on);
      return step (s, "close_paid", c->pay_on, "paid", -1, error);

    case CH_WITHDRAWN:
      field_date (s, "withdrawn_on", c->closed);
      return step (s, "withdraw", c->closed, "withdrawn", -1, error);

    case CH_REQUESTED:
    case CH_ORDER_ISSUED:
    case CH_SERVED:
    case CH_SEIZED:
    case N_CH_STATES:
    default:
      return TRUE;
    }
}

static gboolean
write_case_events (Demo        *demo,
                   DemoDebtor  *d,
                   DemoCase    *c,
                   char       **act_ids,
                   GError     **error)
{
  Steps s = { demo, c, act_ids, 1, NULL };

  return c->swiss ? write_ch_steps (&s, error) : write_it_steps (&s, d, error);
}

static gboolean
write_cases (Demo        *demo,
             DemoDebtor  *d,
             GError     **error)
{
  guint i;

  for (i = 0; i < d->n_cases; i++)
    {
      DemoCase *c = &d->cases[i];
      char *act_ids[MAX_ACTS] = { NULL, };
      gboolean ok;
      guint p;
      guint k;

      c->id = next_id (demo, NS_CASE);
      if (!insert_row (demo, STMT_CASE, error, "sssssssddds", c->id, d->id,
                       demo->body_ids[c->body], demo->office_ids[d->office],
                       c->swiss ? "ch-lef" : "it-coercive",
                       c->swiss ? ch_states[c->state] : it_states[c->state],
                       demo->user_ids[c->officer], c->opened, c->closed, c->deadline,
                       c->deadline_label != NULL ? _(c->deadline_label) : NULL))
        return FALSE;

      for (p = c->first_position; p < c->first_position + c->n_positions; p++)
        if (!insert_row (demo, STMT_CASE_POSITION, error, "ss", c->id, d->positions[p].id))
          return FALSE;

      for (k = 0; k < c->n_acts; k++)
        if (!write_act (demo, d, c, &c->acts[k], &act_ids[k], error))
          break;
      ok = k == c->n_acts && write_case_events (demo, d, c, act_ids, error);
      for (k = 0; k < c->n_acts; k++)
        g_clear_pointer (&act_ids[k], g_free);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_plan (Demo        *demo,
            DemoDebtor  *d,
            GError     **error)
{
  const DemoCase *c;
  g_autofree char *id = NULL;
  guint k;

  if (d->plan_case < 0)
    return TRUE;

  c = &d->cases[d->plan_case];
  id = next_id (demo, NS_PLAN);
  if (!insert_row (demo, STMT_PLAN, error, "ssssisdd", id, d->id, c->id, "active", d->plan_total,
                   bodies[c->body].currency, d->plan_first_due, d->plan_decided))
    return FALSE;

  for (k = 0; k < demo->instalments->len; k++)
    {
      const DemoInstalment *instalment = &g_array_index (demo->instalments, DemoInstalment, k);
      g_autofree char *instalment_id = next_id (demo, NS_INSTALMENT);

      if (!insert_row (demo, STMT_INSTALMENT, error, "ssidiis", instalment_id, id,
                       (gint64) k + 1, instalment->due, instalment->amount,
                       instalment->paid ? instalment->amount : (gint64) 0,
                       instalment->reference))
        return FALSE;
    }

  return TRUE;
}

/* @last_ids: the id of the latest payment of each case, for the audit */
static gboolean
write_payments (Demo         *demo,
                DemoDebtor   *d,
                const char  **last_ids,
                GError      **error)
{
  guint last[MAX_CASES] = { G_MAXUINT, G_MAXUINT };
  guint k;

  for (k = 0; k < demo->payments->len; k++)
    {
      const DemoPayment *payment = &g_array_index (demo->payments, DemoPayment, k);

      if (payment->case_index >= 0)
        last[payment->case_index] = k;
    }

  for (k = 0; k < demo->payments->len; k++)
    {
      const DemoPayment *payment = &g_array_index (demo->payments, DemoPayment, k);
      const DemoPosition *position = &d->positions[payment->position];
      g_autofree char *id = next_id (demo, NS_PAYMENT);

      if (!insert_row (demo, STMT_PAYMENT, error, "ssssisdss", id, d->id, position->id,
                       demo->body_ids[position->body], payment->amount,
                       bodies[position->body].currency, payment->paid_on, payment->reference,
                       payment->channel))
        return FALSE;
      if (payment->case_index >= 0 && last[payment->case_index] == k)
        last_ids[payment->case_index] = keep (demo, id);
    }

  return TRUE;
}

static gboolean
write_contact_log (Demo        *demo,
                   DemoDebtor  *d,
                   GError     **error)
{
  guint n;
  guint k;

  if (!chance (demo, 200))
    return TRUE;

  n = rnd (demo, 1, 3);
  for (k = 0; k < n; k++)
    {
      const ContactTopic *topic = &PICK (demo, contact_topics);
      g_autofree char *id = next_id (demo, NS_CONTACT_LOG);
      gint64 duration = -1;
      guint user;
      char at[21];

      format_timestamp (office_time (demo, (gint32) rnd (demo, d->registered, demo->today - 1)),
                        at);
      if (g_str_equal (topic->channel, "visit"))
        user = staff_of (demo, d->office, ESA_ROLE_FIELD_OFFICER);
      else if (chance (demo, 600))
        user = staff_of (demo, d->office, ESA_ROLE_CONTACT_OPERATOR);
      else
        user = staff_of (demo, d->office, ESA_ROLE_OFFICER);

      if (g_str_equal (topic->channel, "phone"))
        duration = rnd (demo, 60, 1200);
      else if (g_str_equal (topic->channel, "counter"))
        duration = rnd (demo, 300, 1800);
      else if (g_str_equal (topic->channel, "visit"))
        duration = rnd (demo, 600, 2400);

      if (!insert_row (demo, STMT_CONTACT_LOG, error, "sssssssso", id, d->id, topic->channel,
                       topic->direction, at, demo->user_ids[user], _(topic->subject),
                       topic->note != NULL ? _(topic->note) : NULL, duration))
        return FALSE;
    }

  return TRUE;
}

/* A short history per debtor: registration, each case's opening and its
 * latest act or final payment. */
static void
queue_debtor_audit (Demo              *demo,
                    const DemoDebtor  *d,
                    const char *const *last_payment_ids)
{
  const char *procedure_names[2] = {
    /* Translators: procedure names in the audit history of the demo data */
    _("coercive collection"), _("debt enforcement"),
  };
  const char *id = keep (demo, d->id);
  char summary[320];
  gint64 at;
  guint i;

  if (d->swiss)
    /* Translators: audit history of the demo data; %s is a debtor's name */
    g_snprintf (summary, sizeof summary, _("%s registered with an enforcement request"), d->name);
  else
    /* Translators: audit history of the demo data; a debtor's name and a load list */
    g_snprintf (summary, sizeof summary, _("%s registered from load list %s"), d->name,
                d->registered_list != NULL ? d->registered_list->reference : "-");
  at = office_time (demo, d->registered);
  queue_audit (demo, at, (gint) staff_of (demo, d->office, ESA_ROLE_OFFICER), NS_DEBTOR,
               d->swiss ? "create" : "import", id, id, summary);

  for (i = 0; i < d->n_cases; i++)
    {
      const DemoCase *c = &d->cases[i];
      const char *currency = bodies[c->body].currency;
      g_autofree char *total = esa_money_format (c->total, currency);
      gboolean paid = c->swiss ? c->state == CH_PAID : c->state == IT_PAID;

      /* Translators: audit history of the demo data; a procedure and an amount */
      g_snprintf (summary, sizeof summary, _("Case opened (%s) for %s"),
                  procedure_names[c->swiss], total);
      queue_audit (demo, office_time (demo, c->opened), (gint) c->officer, NS_CASE, "create",
                   keep (demo, c->id), id, summary);

      if (paid && last_payment_ids[i] != NULL)
        {
          /* Translators: audit history of the demo data; %s is an amount */
          g_snprintf (summary, sizeof summary, _("Final payment recorded: %s settled in full"),
                      total);
          queue_audit (demo, office_time (demo, c->pay_on), -1, NS_PAYMENT, "create",
                       last_payment_ids[i], id, summary);
        }
      else if (c->n_acts > 0)
        {
          const DemoAct *act = &c->acts[c->n_acts - 1];

          /* Translators: audit history of the demo data; an act type and an amount */
          g_snprintf (summary, sizeof summary, _("%s issued for %s"),
                      _(act_types[act->type].label), total);
          queue_audit (demo, office_time (demo, act->issued), (gint) c->officer, NS_ACT,
                       "create", act->audit_id, id, summary);
        }
    }
}

static gboolean
write_debtor (Demo        *demo,
              DemoDebtor  *d,
              GError     **error)
{
  const char *last_payment_ids[MAX_CASES] = { NULL, NULL };

  if (!insert_row (demo, STMT_DEBTOR, error, "sssssdddds", d->id,
                   d->kind == ESA_DEBTOR_PERSON ? "person" : "company", d->name, d->tax_id,
                   d->tax_id_kind, d->kind == ESA_DEBTOR_PERSON ? d->birth : 0, d->deceased,
                   d->ceased, d->insolvent, demo->office_ids[d->office]))
    return FALSE;

  if (!write_addresses (demo, d, error)
      || !write_contacts (demo, d, error)
      || !write_relations (demo, d, error)
      || !write_positions (demo, d, error)
      || !write_cases (demo, d, error)
      || !write_plan (demo, d, error)
      || !write_payments (demo, d, last_payment_ids, error)
      || !write_contact_log (demo, d, error))
    return FALSE;

  queue_debtor_audit (demo, d, last_payment_ids);
  return TRUE;
}

static void
debtor_clear (DemoDebtor *d)
{
  guint i;

  g_free (d->id);
  g_free (d->tax_id);
  for (i = 0; i < d->n_positions; i++)
    g_free (d->positions[i].id);
  for (i = 0; i < d->n_cases; i++)
    g_free (d->cases[i].id);
  memset (d, 0, sizeof *d);
}

static gboolean
generate_debtors (Demo                  *demo,
                  const EsaDemoOptions  *options,
                  GError               **error)
{
  guint i;

  for (i = 0; i < demo->n_debtors; i++)
    {
      DemoDebtor *d = &demo->debtor;

      debtor_clear (d);
      d->index = i;
      d->id = debtor_id (demo, i);
      make_identity (demo, d);
      plan_cases (demo, d);
      complete_debtor (demo, d);
      if (!write_debtor (demo, d, error))
        return FALSE;

      if (d->kind == ESA_DEBTOR_PERSON)
        {
          guint slot = demo->n_recent_persons[d->swiss]++ % G_N_ELEMENTS (demo->recent_persons[0]);

          demo->recent_persons[d->swiss][slot] = i;
        }

      if (options->progress != NULL && (i + 1) % 1000 == 0)
        options->progress (0.7 * (i + 1) / demo->n_debtors, options->progress_data);
    }
  debtor_clear (&demo->debtor);

  return TRUE;
}

/* ---- the audit journal ------------------------------------------------ */

static gint
compare_audit (gconstpointer a,
               gconstpointer b)
{
  const AuditItem *x = a;
  const AuditItem *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static gboolean
write_audit (Demo                  *demo,
             const EsaDemoOptions  *options,
             GError               **error)
{
  guint i;

  g_array_sort (demo->audit, compare_audit);
  for (i = 0; i < demo->audit->len; i++)
    {
      const AuditItem *item = &g_array_index (demo->audit, AuditItem, i);
      char at[21];

      format_timestamp (item->at, at);
      if (!_esa_store_audit_append (demo->store, at,
                                    item->user >= 0 ? demo->user_ids[item->user] : NULL,
                                    item->action, item->entity, item->entity_id,
                                    item->debtor_id, item->summary, error))
        return FALSE;

      if (options->progress != NULL && (i + 1) % 4000 == 0)
        options->progress (0.7 + 0.1 * (i + 1) / demo->audit->len, options->progress_data);
    }

  return TRUE;
}

/* ---- entry points ----------------------------------------------------- */

void
esa_demo_options_init (EsaDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->debtors = 5000;
  options->seed = 1;
}

static gboolean
demo_init (Demo                  *demo,
           EsaStore              *store,
           const EsaDemoOptions  *options,
           GError               **error)
{
  guint32 seed[2] = { (guint32) (options->seed & 0xffffffff), (guint32) (options->seed >> 32) };
  GDate today;
  guint i;

  memset (demo, 0, sizeof *demo);
  demo->store = store;
  demo->db = _esa_store_get_db (store);
  demo->seed = options->seed;
  demo->n_debtors = options->debtors;

  g_date_clear (&today, 1);
  if (options->today != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!esa_date_parse_iso (options->today, &today, &local_error))
        {
          g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                       /* Translators: %s says what is wrong with the date */
                       _("The reference date of the demo data is wrong: %s"),
                       local_error->message);
          return FALSE;
        }
    }
  else
    {
      esa_date_set_today (&today);
    }
  demo->today = (gint32) g_date_get_julian (&today);
  demo->today_year = g_date_get_year (&today);
  demo->first_list_year = demo->today_year - N_LIST_YEARS;

  demo->rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  demo->tax_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  demo->payments = g_array_sized_new (FALSE, FALSE, sizeof (DemoPayment), 64);
  demo->instalments = g_array_sized_new (FALSE, FALSE, sizeof (DemoInstalment), 80);
  demo->audit = g_array_sized_new (FALSE, FALSE, sizeof (AuditItem),
                                   MIN (options->debtors, 1000000) * 4 + 256);
  demo->strings = g_string_chunk_new (1 << 20);
  demo->fields = g_string_sized_new (512);

  for (i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v3 (demo->db, statements[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
                            &demo->stmts[i], NULL) != SQLITE_OK)
      {
        /* Translators: %s is a table name */
        g_autofree char *what = g_strdup_printf (_("Could not prepare writing demo data into %s"),
                                                 statements[i].table);

        _esa_store_set_sqlite_error (store, error, what);
        return FALSE;
      }

  return TRUE;
}

static void
demo_clear (Demo *demo)
{
  guint i;
  guint j;

  for (i = 0; i < N_STMTS; i++)
    g_clear_pointer (&demo->stmts[i], sqlite3_finalize);
  for (i = 0; i < N_BODIES; i++)
    g_free (demo->body_ids[i]);
  for (i = 0; i < N_OFFICES; i++)
    g_free (demo->office_ids[i]);
  for (i = 0; i < N_STAFF; i++)
    {
      g_free (demo->user_ids[i]);
      g_free (demo->user_names[i]);
    }
  for (i = 0; i < N_LIST_SLOTS; i++)
    for (j = 0; j < N_IT_REVENUES; j++)
      g_free (demo->lists[i][j].id);
  debtor_clear (&demo->debtor);
  g_clear_pointer (&demo->tax_codes, g_hash_table_unref);
  g_clear_pointer (&demo->payments, g_array_unref);
  g_clear_pointer (&demo->instalments, g_array_unref);
  g_clear_pointer (&demo->audit, g_array_unref);
  g_clear_pointer (&demo->strings, g_string_chunk_free);
  if (demo->fields != NULL)
    g_string_free (g_steal_pointer (&demo->fields), TRUE);
  g_clear_pointer (&demo->rand, g_rand_free);
}

/* Tickets, contacts, knowledge cards and appointments (esa-demo-contact.c). */
static gboolean
demo_contact_center (Demo    *demo,
                     GError **error)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_julian (&today, (guint32) demo->today);
  return _esa_demo_contact_center (demo->store, demo->seed, &today, error);
}

static gboolean
check_empty (EsaStore  *store,
             GError   **error)
{
  sqlite3 *db = _esa_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64 count = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT count(*) FROM debtors", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      count = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    _esa_store_set_sqlite_error (store, error, _("Could not count the debtors"));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    return FALSE;

  if (count > 0)
    {
      g_set_error (error, ESA_STORE_ERROR, ESA_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The database already holds %d debtor: demo "
                                "data can only go into an empty database",
                                "The database already holds %d debtors: demo "
                                "data can only go into an empty database",
                                (gulong) count),
                   (int) MIN (count, G_MAXINT));
      return FALSE;
    }

  return TRUE;
}

/* The secondary indexes of these tables are dropped for the load and built
 * again afterwards: building an index sorts once, while keeping it up to
 * date costs a random b-tree insert per row (every id is random). */
static const char * const loaded_tables[] = {
  "debtors", "addresses", "debtor_contacts", "relations", "positions", "cases",
  "case_positions", "acts", "notifications", "payments", "instalment_plans", "instalments",
  "contact_log", "audit", "case_events", "case_event_acts",
};

/* Drops the secondary indexes of the tables the load fills and returns their
 * definitions (transfer full), or NULL with @error set. Primary keys and
 * UNIQUE constraints stay: they have no SQL of their own. */
static GPtrArray *
drop_indexes (EsaStore  *store,
              GError   **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) definitions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new ("SELECT name, sql FROM sqlite_master WHERE "
                                         "type = 'index' AND sql IS NOT NULL AND tbl_name IN (");
  sqlite3 *db = _esa_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  guint i;
  int rc;

  for (i = 0; i < G_N_ELEMENTS (loaded_tables); i++)
    g_string_append_printf (sql, "%s'%s'", i > 0 ? ", " : "", loaded_tables[i]);
  g_string_append (sql, ") ORDER BY name");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (definitions, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _esa_store_set_sqlite_error (store, error, _("Could not read the indexes of the database"));
      return NULL;
    }

  for (i = 0; i < names->len; i++)
    {
      char *drop = sqlite3_mprintf ("DROP INDEX \"%w\"", (char *) g_ptr_array_index (names, i));

      rc = sqlite3_exec (db, drop, NULL, NULL, NULL);
      sqlite3_free (drop);
      if (rc != SQLITE_OK)
        {
          /* Translators: %s is the name of a database index */
          g_autofree char *what = g_strdup_printf (_("Could not drop the index %s for the load"),
                                                   (char *) g_ptr_array_index (names, i));

          _esa_store_set_sqlite_error (store, error, what);
          return NULL;
        }
    }

  return g_steal_pointer (&definitions);
}

static gboolean
create_indexes (EsaStore              *store,
                GPtrArray             *definitions,
                const EsaDemoOptions  *options,
                GError               **error)
{
  guint i;

  for (i = 0; i < definitions->len; i++)
    if (sqlite3_exec (_esa_store_get_db (store), g_ptr_array_index (definitions, i), NULL, NULL,
                      NULL) != SQLITE_OK)
      {
        _esa_store_set_sqlite_error (store, error,
                                     _("Could not build an index again after the load"));
        return FALSE;
      }

  /* What is left is the store's rebuild of the full-text index. */
  if (options->progress != NULL)
    options->progress (0.85, options->progress_data);
  return TRUE;
}

/* The connection settings changed for the load, to put back afterwards. */
typedef struct
{
  int      cache_size;
  int      foreign_keys;
  int      ignore_check_constraints;
  gboolean was_wal;
} SavedPragmas;

static char *
pragma_text (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static int
pragma_int (sqlite3    *db,
            const char *sql,
            int         fallback)
{
  g_autofree char *value = pragma_text (db, sql);

  return value != NULL ? atoi (value) : fallback;
}

/* Settings for one big load, changed outside any transaction (SQLite ignores
 * some of them inside one):
 * - a large page cache keeps the indexes of a big load in memory;
 * - foreign keys and CHECK constraints are not enforced: the rows are valid
 *   by construction (the tests verify them with foreign_key_check and
 *   integrity_check), and enforcing them costs a third of the insert time,
 *   mostly for the ephemeral tables SQLite builds for every "x IN (…)"
 *   check;
 * - a file database leaves WAL mode, so that the rows are written once into
 *   the file rather than into the log and then again by the checkpoint.
 * Changing these flags expires every prepared statement, so the store's
 * cached ones are prepared again with the settings restored. */
static void
tune_connection (EsaStore     *store,
                 guint         debtors,
                 SavedPragmas *saved)
{
  sqlite3 *db = _esa_store_get_db (store);
  g_autofree char *sql = NULL;

  saved->cache_size = pragma_int (db, "PRAGMA cache_size", -2000);
  saved->foreign_keys = pragma_int (db, "PRAGMA foreign_keys", 1);
  saved->ignore_check_constraints = pragma_int (db, "PRAGMA ignore_check_constraints", 0);
  saved->was_wal = FALSE;

  /* Every id is random, so every index takes its inserts all over: the
   * cache must hold the indexes, about 4 KiB a debtor, or the load thrashes.
   * It is a ceiling, not an allocation: small loads touch little of it. */
  sql = g_strdup_printf ("PRAGMA cache_size = -%u;"
                         "PRAGMA foreign_keys = OFF;"
                         "PRAGMA ignore_check_constraints = ON;",
                         CLAMP (debtors, 64 * 1024, 1024 * 1024) * 4);
  sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (esa_store_get_path (store) != NULL)
    {
      g_autofree char *mode = pragma_text (db, "PRAGMA journal_mode");

      if (mode != NULL && g_ascii_strcasecmp (mode, "wal") == 0)
        {
          /* Refused while another connection has the file open: then the
           * load simply goes through the log. */
          g_autofree char *changed = pragma_text (db, "PRAGMA journal_mode = DELETE");

          saved->was_wal = changed != NULL && g_ascii_strcasecmp (changed, "delete") == 0;
        }
    }
}

static void
restore_connection (EsaStore           *store,
                    const SavedPragmas *saved)
{
  sqlite3 *db = _esa_store_get_db (store);
  g_autofree char *sql = NULL;

  if (saved->was_wal)
    {
      g_autofree char *mode = pragma_text (db, "PRAGMA journal_mode = WAL");

      if (mode == NULL || g_ascii_strcasecmp (mode, "wal") != 0)
        g_warning ("Could not return %s to WAL mode after loading the demo data: %s",
                   esa_store_get_path (store), sqlite3_errmsg (db));
    }

  sql = g_strdup_printf ("PRAGMA cache_size = %d;"
                         "PRAGMA foreign_keys = %d;"
                         "PRAGMA ignore_check_constraints = %d;",
                         saved->cache_size, saved->foreign_keys,
                         saved->ignore_check_constraints);
  sqlite3_exec (db, sql, NULL, NULL, NULL);
}

gboolean
esa_demo_generate (EsaStore              *store,
                   const EsaDemoOptions  *options,
                   GError               **error)
{
  g_autoptr(GPtrArray) indexes = NULL;
  EsaDemoOptions defaults;
  SavedPragmas saved;
  Demo demo;
  gboolean began = FALSE;
  gboolean ok;

  g_return_val_if_fail (ESA_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      esa_demo_options_init (&defaults);
      options = &defaults;
    }

  if (!check_empty (store, error))
    return FALSE;

  tune_connection (store, options->debtors, &saved);

  /* One transaction: on any error nothing of the demo data remains. */
  ok = demo_init (&demo, store, options, error);
  if (ok)
    ok = began = _esa_store_begin (store, error);
  /* The demo's rows are the initial state every device and the server
   * generate alike (same seed, same ids): nothing to capture for sync. */
  if (ok)
    ok = esa_store_sync_set_capture (store, FALSE, error);
  if (ok)
    ok = (indexes = drop_indexes (store, error)) != NULL;
  if (ok)
    ok = write_setup (&demo, error)
         && generate_debtors (&demo, options, error)
         && write_audit (&demo, options, error)
         && demo_contact_center (&demo, error)
         && create_indexes (store, indexes, options, error)
         && _esa_store_search_rebuild (store, error)
         && esa_store_sync_set_capture (store, TRUE, error);
  if (ok)
    ok = _esa_store_commit (store, error);
  else if (began)
    _esa_store_rollback (store);

  demo_clear (&demo);
  restore_connection (store, &saved);

  if (ok && options->progress != NULL)
    options->progress (1.0, options->progress_data);

  return ok;
}
