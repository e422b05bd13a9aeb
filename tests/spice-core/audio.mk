# SPICE audio (playback and record channels): a spice-gtk client against
# spice-serve --audio-tone/--record-to, hostile record channels, and a
# fuzz target for the record channel's parser.  Included from
# spice-core/spice-core.mk after tests.mk.

.PHONY: check-spice-core-audio check-spice-core-fuzz-audio
CHECKS += check-spice-core-audio check-spice-core-fuzz-audio

# The tone's pitch in the client's PCM, record data byte-exact in the
# file, malformed RECORD_DATA drops only that client, no audio channels
# without audio.
check-spice-core-audio: $(SPICE_SERVE)
	$(SC_PYTEST)/audio_test.py

SC_FUZZ_AUDIO := $(BUILD)/fuzz/spice-core-msg_record
FUZZ += $(SC_FUZZ_AUDIO)

$(SC_FUZZ_AUDIO): $(SC_TESTS)/fuzz/fuzz_audio.c $(SC_FUZZ_SRCS) $(SC_HDRS)
	@$(DEPS) fuzz
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -std=gnu11 $(WARN) -I$(TOP)/include \
		-I$(SC_DIR) $(SC_PKG_CFLAGS) -o $@ $< \
		$(SC_FUZZ_SRCS) $(shell pkg-config --libs glib-2.0)

check-spice-core-fuzz-audio: $(SC_FUZZ_AUDIO)
	@mkdir -p $(SC_TOUT)/corpus/msg_record
	$(SC_FUZZ_AUDIO) -max_total_time=$(SC_FUZZ_SECONDS) -max_len=16384 \
		$(SC_TOUT)/corpus/msg_record -artifact_prefix=$(SC_TOUT)/ \
		> $(SC_TOUT)/fuzz-audio.log 2>&1 || \
		{ tail -n 40 $(SC_TOUT)/fuzz-audio.log; exit 1; }
	@tail -n 1 $(SC_TOUT)/fuzz-audio.log
