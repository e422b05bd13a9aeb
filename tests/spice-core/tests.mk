# spice-core tests: unit tests of the parsers, real spice-gtk clients
# against spice-serve, hostile clients, fuzz smoke runs.  Included from
# spice-core/spice-core.mk.

SC_PYTEST = @$(DEPS) client && mkdir -p $(SC_TOUT) && \
	BUILD=$(BUILD) $(PYTHON) $(SC_TESTS)

.PHONY: check-spice-serve-screenshot check-spice-core-inputs-cursor

CHECKS += check-spice-serve-screenshot check-spice-core-inputs-cursor

# spicy-screenshot gives back the served picture pixel for pixel (raw, LZ4).
check-spice-serve-screenshot: $(SPICE_SERVE)
	$(SC_PYTEST)/screenshot_test.py

# Keys, mouse (relative and absolute) reach the callbacks; cursor shape.
check-spice-core-inputs-cursor: $(SPICE_SERVE)
	$(SC_PYTEST)/inputs_cursor_test.py
