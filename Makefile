# ERP suite — the two commands a new machine needs are `make run` and `make test`.
# Both install missing Debian packages and start the embedded stack (deploy/local/stack.sh).

SHELL := /bin/bash
STACK := deploy/local/stack.sh
SWIFT_BUILD_FLAGS ?=

.PHONY: run test stop stack-up stack-down status bench build clean image

## run: start PostgreSQL, Redis, the dev Kafka broker, the SMTP sink and every service
run:
	@bash deploy/local/run.sh start

## stop: stop every service and server that `make run` or `make test` started
stop:
	@bash deploy/local/run.sh stop
	@bash $(STACK) down

## test: start the stack and run every test (unit and integration) against the real servers
test:
	@bash deploy/local/test.sh

## bench: run the benchmarks in Benchmarks/ (release build) and print ratios
bench:
	@bash deploy/local/bench.sh

status:
	@bash $(STACK) status

stack-up:
	@bash $(STACK) up

stack-down:
	@bash $(STACK) down

build:
	swift build $(SWIFT_BUILD_FLAGS)

clean:
	rm -rf .build

## image: one service's container image (needs a Docker engine), e.g. `make image SERVICE=auth`
SERVICE ?= gateway
image:
	docker build -f deploy/docker/Dockerfile --build-arg SERVICE=$(SERVICE) -t erp-$(SERVICE):latest .
