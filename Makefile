# The two commands a newcomer needs (both set up whatever is missing first):
#   make serve   build the playground and serve it at http://127.0.0.1:8000
#   make test    run every check and test (format, lint, native, wasm build, browser)
# and one more for the speed figures in the README:
#   make bench
.PHONY: serve test bench build setup

PORT ?= 8000

setup:
	scripts/setup.sh

build: setup
	scripts/build-wasm.sh

serve: build
	node scripts/serve.mjs --port $(PORT)

test:
	scripts/test.sh

bench:
	scripts/bench.sh
