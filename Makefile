# MiniKube: `make demo` and `make test` do all the set-up on a fresh machine.
DOTNET      ?= dotnet
CONFIG      ?= Release
RESULTS     ?= artifacts/test-results
TEST_FILTER ?=

.PHONY: all deps build test demo bench format lint clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	$(DOTNET) build MiniKube.sln -c $(CONFIG) -nologo -clp:ErrorsOnly

# Every test project, results as TRX under $(RESULTS) (.ci/run totals them).
test: build
	rm -rf $(RESULTS)
	$(DOTNET) test MiniKube.sln -c $(CONFIG) --no-build -nologo \
	    --results-directory $(RESULTS) --logger "trx" --logger "console;verbosity=minimal" \
	    $(if $(TEST_FILTER),--filter "$(TEST_FILTER)",)

# A local cluster (./mkctl up), the nginx Deployment applied and watched until its pods run, then what to try next.
demo: build
	@./scripts/demo.sh

# The store's hot paths with BenchmarkDotNet; against a real etcd: ./mkctl bench store --compare-etcd
bench: build
	cd benchmarks/Store.Benchmarks && $(DOTNET) run -c $(CONFIG) --no-build -- --filter '*'

format:
	$(DOTNET) format MiniKube.sln

# Whitespace and analyzer style, checked without changing anything (the build enforces the rest).
lint:
	$(DOTNET) format MiniKube.sln --verify-no-changes

clean:
	$(DOTNET) clean MiniKube.sln -nologo -v q
	rm -rf artifacts
