// SPDX-License-Identifier: MIT
/* SPICE ticket: RSA-1024 key per link and OAEP-SHA1 decryption, through
 * OpenSSL 3's EVP interface. */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "link/ticket.h"

/* A fresh key pair; fuzzing builds (-DFUZZING_BUILD_MODE_UNSAFE_FOR_
 * PRODUCTION, never a server) reuse one: key generation would take most
 * of each run. */
static EVP_PKEY *key_pair(void)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	static EVP_PKEY *once;

	if (!once)
		once = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
					 (size_t)SPICE_TICKET_KEY_PAIR_LENGTH);
	if (once && EVP_PKEY_up_ref(once) != 1)
		return NULL;
	return once;
#else
	return EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
				 (size_t)SPICE_TICKET_KEY_PAIR_LENGTH);
#endif
}

EVP_PKEY *sc_ticket_key_new(uint8_t pub[SPICE_TICKET_PUBKEY_BYTES])
{
	EVP_PKEY *key;
	unsigned char *der = NULL;
	int len;

	key = key_pair();
	if (!key)
		return NULL;
	len = i2d_PUBKEY(key, &der);
	if (len != SPICE_TICKET_PUBKEY_BYTES) {
		OPENSSL_free(der);
		EVP_PKEY_free(key);
		return NULL;
	}
	memcpy(pub, der, SPICE_TICKET_PUBKEY_BYTES);
	OPENSSL_free(der);
	return key;
}

void sc_ticket_key_free(EVP_PKEY *key)
{
	EVP_PKEY_free(key);
}

int sc_ticket_decrypt(EVP_PKEY *key, const uint8_t *cipher, size_t len,
		      char out[SPICE_MAX_PASSWORD_LENGTH + 1])
{
	unsigned char plain[SPICE_TICKET_KEY_PAIR_LENGTH / 8];
	size_t plen = sizeof(plain);
	EVP_PKEY_CTX *ctx;
	int ok;

	memset(out, 0, SPICE_MAX_PASSWORD_LENGTH + 1);
	ctx = EVP_PKEY_CTX_new(key, NULL);
	if (!ctx)
		return -1;
	ok = EVP_PKEY_decrypt_init(ctx) > 0 &&
	     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
	     EVP_PKEY_decrypt(ctx, plain, &plen, cipher, len) > 0;
	EVP_PKEY_CTX_free(ctx);
	if (!ok)
		return -1;
	/* The client encrypts strlen(password) + 1 bytes. */
	if (plen == 0 || plen > SPICE_MAX_PASSWORD_LENGTH + 1 ||
	    plain[plen - 1] != '\0' || memchr(plain, '\0', plen) !=
	    plain + plen - 1) {
		OPENSSL_cleanse(plain, sizeof(plain));
		return -1;
	}
	memcpy(out, plain, plen);
	OPENSSL_cleanse(plain, sizeof(plain));
	return 0;
}

int sc_ticket_equal(const char *a, const char *b)
{
	char pa[SPICE_MAX_PASSWORD_LENGTH + 1] = { 0 };
	char pb[SPICE_MAX_PASSWORD_LENGTH + 1] = { 0 };
	size_t la = strnlen(a, sizeof(pa)), lb = strnlen(b, sizeof(pb));
	int eq;

	if (la > SPICE_MAX_PASSWORD_LENGTH || lb > SPICE_MAX_PASSWORD_LENGTH)
		return 0;
	memcpy(pa, a, la);
	memcpy(pb, b, lb);
	/* Compare whole fixed-size buffers: the time says nothing about
	 * where the first difference is, nor about the length. */
	eq = CRYPTO_memcmp(pa, pb, sizeof(pa)) == 0;
	OPENSSL_cleanse(pa, sizeof(pa));
	OPENSSL_cleanse(pb, sizeof(pb));
	return eq;
}
