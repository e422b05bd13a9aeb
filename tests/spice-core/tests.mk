# spice-core tests: unit tests of the parsers, real spice-gtk clients
# against spice-serve, hostile clients, fuzz smoke runs.  Included from
# spice-core/spice-core.mk.

SC_PYTEST = @$(DEPS) client && mkdir -p $(SC_TOUT) && \
	BUILD=$(BUILD) $(PYTHON) $(SC_TESTS)

.PHONY: check-spice-serve-screenshot

CHECKS += check-spice-serve-screenshot

# spicy-screenshot gives back the served picture pixel for pixel (raw, LZ4).
check-spice-serve-screenshot: $(SPICE_SERVE)
	$(SC_PYTEST)/screenshot_test.py
