# The two commands a newcomer needs (both set up whatever is missing first):
#   make serve   build the playground and serve it at http://127.0.0.1:8000
#   make test    run every check and test (format, lint, native, wasm build, browser)
# and one more for the speed figures in the README:
#   make bench
# and one that trains every generative lab for ten minutes each and checks nothing breaks or leaks:
#   make soak
.PHONY: serve test bench soak build setup

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

soak:
	scripts/setup.sh --browser
	scripts/build-wasm.sh
	node scripts/soak.mjs
