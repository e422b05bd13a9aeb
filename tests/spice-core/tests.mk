# spice-core tests: unit tests of the parsers, real spice-gtk clients
# against spice-serve, hostile clients, fuzz smoke runs.  Included from
# spice-core/spice-core.mk.

SC_PYTEST = @$(DEPS) client && mkdir -p $(SC_TOUT) && \
	BUILD=$(BUILD) $(PYTHON) $(SC_TESTS)

.PHONY: check-spice-serve-screenshot check-spice-core-inputs-cursor \
	check-spice-core-auth-tls check-spice-core-clients

CHECKS += check-spice-serve-screenshot check-spice-core-inputs-cursor \
	check-spice-core-auth-tls check-spice-core-clients

# spicy-screenshot gives back the served picture pixel for pixel (raw, LZ4).
check-spice-serve-screenshot: $(SPICE_SERVE)
	$(SC_PYTEST)/screenshot_test.py

# Keys, mouse (relative and absolute) reach the callbacks; cursor shape.
check-spice-core-inputs-cursor: $(SPICE_SERVE)
	$(SC_PYTEST)/inputs_cursor_test.py

# Wrong password refused, right one accepted; TLS with a CA; plain text on
# the TLS port refused; NEED_SECURED.
check-spice-core-auth-tls: $(SPICE_SERVE)
	$(SC_PYTEST)/auth_tls_test.py

# Two clients at once; a stalled client; 50 connect/disconnect cycles.
check-spice-core-clients: $(SPICE_SERVE)
	$(SC_PYTEST)/clients_test.py
