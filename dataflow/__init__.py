"""Modes of dataflow ("Modes of Dataflow" in chapter 4, or 5 in the second edition): deterministic, seeded simulations.

    rolling_upgrade.run    old and new code side by side behind a load balancer
    databases.run          data outlives code: rows written by v1, v2, v3, read by today's code
    services.run           a payment over a faulty network: retries, timeouts, idempotency keys
    services.wire          the request as REST and as gRPC bytes; services.api_evolution
    messaging.outage / redelivery / fan_out / request_reply    what a broker buys
    actors.run             one message at a time, location transparency, upgrades across nodes
    events.run             months of events in a log under several schemas, read via the registry by id
    durable.run            a workflow's steps in an event log, replay after a crash, code changes, patches

    >>> from dataflow import adapters, rolling_upgrade
    >>> run = rolling_upgrade.run(adapters.for_change("avro", "add-optional-field"))
    >>> run.counters["failed reads"]
    0

Parameters go in as a frozen `Params`; a `Run` of plain rows comes out (events, series,
counters, and notes computed from the run) for a page to turn into DataFrames and plots.
Messages are real bytes from formats/, read by the other version's code through a
`dataflow.codec.Codec`: `adapters.for_change` (a change from the evolution catalogue)
or `adapters.history` (the Person table's three versions). Pure Python: no streamlit,
no wall clock, no threads; the same seed gives the same run.
"""
