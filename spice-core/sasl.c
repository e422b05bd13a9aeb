// SPDX-License-Identifier: MIT
/* SASL authentication (cyrus libsasl2), behind CONFIG_SPICE_SASL. */
#include "internal.h"

#ifndef CONFIG_SPICE_SASL_IMPL
bool sc_sasl_available(void)
{
	return false;
}

int sc_sasl_start(struct sc_conn *c)
{
	(void)c;
	return -1;
}

bool sc_sasl_input(struct sc_conn *c)
{
	(void)c;
	return false;
}

void sc_sasl_free(struct sc_conn *c)
{
	(void)c;
}
#endif
