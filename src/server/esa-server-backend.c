/* The parts of the backend interface that every backend shares. */

#include "esa-config.h"

#include "esa-server-backend.h"

G_DEFINE_QUARK (esa-server-error-quark, esa_server_error)

void
esa_server_account_free (EsaServerAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->login);
  g_free (account->name);
  g_free (account->role);
  g_free (account->office_id);
  g_free (account->user_id);
  g_free (account->hash);
  g_free (account);
}

void
esa_server_backend_free (EsaServerBackend *self)
{
  if (self != NULL)
    self->vt->free (self);
}
