/* SPDX-License-Identifier: MIT */
/* SPICE ticket auth: a fresh RSA-1024 key per link, OAEP-SHA1. */
#ifndef SPICE_CORE_TICKET_H
#define SPICE_CORE_TICKET_H

#include <stddef.h>
#include <stdint.h>
#include <spice/protocol.h>

typedef struct evp_pkey_st EVP_PKEY;

/* New key; its DER SubjectPublicKeyInfo (exactly 162 bytes) in pub.
 * NULL if OpenSSL fails. */
EVP_PKEY *sc_ticket_key_new(uint8_t pub[SPICE_TICKET_PUBKEY_BYTES]);
void sc_ticket_key_free(EVP_PKEY *key);
/* Decrypt a 128-byte ticket into out (NUL-terminated, at most
 * SPICE_MAX_PASSWORD_LENGTH bytes before the NUL).  0 or -1. */
int sc_ticket_decrypt(EVP_PKEY *key, const uint8_t *cipher, size_t len,
		      char out[SPICE_MAX_PASSWORD_LENGTH + 1]);
/* Constant-time comparison of two passwords of at most 60 bytes. */
int sc_ticket_equal(const char *a, const char *b);

#endif
