"""About: the chapter's ideas, and where in the lab a student touches each one."""
import streamlit as st

st.title("About Encoding Lab")
st.markdown(
    "An interactive companion to **Encoding and Evolution**, the chapter of Martin Kleppmann's "
    "*Designing Data-Intensive Applications* that is chapter 4 in the first edition and chapter 5 in the "
    "second (figure numbers here are the first edition's). Every byte on these pages is written by the real "
    "library of its format (json, ElementTree, csv, pymongo's bson, msgpack, cbor2, thriftpy2, "
    "protobuf with protoc, fastavro); the labels come from a walk over those bytes, written for this "
    "lab, that tests check against the libraries.")

st.subheader("The chapter, and where to touch it")
st.table([
    {"idea": "Encoding (serialization, marshalling) turns in-memory data into bytes; decoding turns them back",
     "where": "Explorer: every format's bytes, labelled; Decode bytes: any bytes back into a record"},
    {"idea": "JSON, XML and CSV are readable but verbose, and vague about numbers and binary strings",
     "where": "Explorer: field names in every record; XML and CSV give every value back as text. The book's "
              "record: a JavaScript reader rounds integers past 2^53 (why Twitter sends id_str), reads 1.0 as 1; "
              "bytes travel as Base64, a third larger"},
    {"idea": "Language-specific formats (pickle, Java Serializable, Ruby Marshal) tie data to one language and "
             "its classes, neglect versioning, and run code when read",
     "where": "Language-specific formats: a class path in the bytes, a renamed class breaking the read, a "
              "__reduce__ payload as opcodes naming os.system (disassembled, never unpickled)"},
    {"idea": "Binary JSON and XML variants (BSON, MessagePack, CBOR, UBJSON; WBXML) save little: field names "
             "still travel",
     "where": "The book's record: 66–104 bytes against JSON's 81 (UBJSON 77, WBXML 104, binary XML with each "
              "element name once in a string table); the size plot shows why"},
    {"idea": "Thrift and Protocol Buffers replace field names by numeric field tags from a schema",
     "where": "Explorer, book figure view: figures 4-2 to 4-4, byte by byte"},
    {"idea": "Avro has no tags: the reader resolves the writer's schema against its own",
     "where": "Explorer (figure 4-5); Decode bytes refuses Avro without the writer's schema"},
    {"idea": "Avro has two schema languages: Avro IDL for people to edit, JSON for machines",
     "where": "Explorer and Evolution lab: .avdl beside .avsc, an edit to either rewrites the other; "
              "The book's record: Person in both"},
    {"idea": "The reader needs the writer's schema: a file's header holds it, a row starts with its version, "
             "a message with a registry id (Confluent) or the schema's fingerprint (Avro single object)",
     "where": "Through databases (a version per row; the archive's header), Schema registry and Message passing "
              "(the id or fingerprint looked up, then resolved); Decode bytes recognises each framing"},
    {"idea": "For small data the binary gain is small", "where": "Explorer: “As the data grows”, with gzip"},
    {"idea": "Backward compatibility: new code reads old data. Forward: old code reads new data",
     "where": "Evolution lab: both directions for real; Compatibility matrix: the whole catalogue"},
    {"idea": "Add only optional fields (or with defaults); never reuse a field tag",
     "where": "Evolution lab: add a required field, change or reuse a tag, narrow a type and watch readers fail"},
    {"idea": "Avro suits dynamically generated schemas (a table dumped to files): fields match by name, so "
             "the generator just runs again; generated tags shift, and a tag must never be reused",
     "where": "Generated schemas: edit a table's columns and read the old rows with Avro, with tags by position "
              "and with tags kept"},
    {"idea": "A registry checks each new schema version before producers or consumers use it",
     "where": "Schema registry: BACKWARD, FORWARD, FULL and their transitive modes"},
    {"idea": "Old code may drop fields it does not know when it rewrites a record",
     "where": "Evolution lab (figure 4-7) and Dataflow › Through databases"},
    {"idea": "Rolling upgrades run old and new code side by side: compatibility both ways",
     "where": "Dataflow › Rolling upgrade"},
    {"idea": "Data outlives code; migrations are expensive; archives use the latest schema",
     "where": "Dataflow › Through databases (with a downloadable Avro object container file)"},
    {"idea": "REST and RPC: a remote call is not a local call (timeouts, retries, idempotency)",
     "where": "Dataflow › Through services: the five problems of RPC, each quoted from the run"},
    {"idea": "Only encoded data travels: a remote caller gets a copy, never a reference",
     "where": "Dataflow › Through services: a reference or a copy"},
    {"idea": "SOAP and WSDL, REST for public APIs, RPC (gRPC) inside an organisation; CORBA, RMI, DCOM before",
     "where": "Dataflow › Through services: one request as JSON/HTTP, gRPC and a SOAP envelope from a WSDL"},
    {"idea": "Evolving an API: old clients read new responses; versions in the URL, Accept header or per key",
     "where": "Dataflow › Through services: responses, versioning; service discovery"},
    {"idea": "Message brokers buffer, redeliver, fan out, and decouple sender from receiver",
     "where": "Dataflow › Message passing"},
    {"idea": "Queues (RabbitMQ, ActiveMQ) and logs (Kafka); a consumer that republishes must keep unknown fields",
     "where": "Dataflow › Message passing: queues and logs, a consumer that republishes"},
    {"idea": "Actors: private state, one message at a time, distributed across nodes",
     "where": "Dataflow › Actors"},
    {"idea": "Akka, Orleans, Erlang/OTP: each framework's encoding decides whether a rolling upgrade works",
     "where": "Dataflow › Actors: pick the framework (Akka + Protobuf or Jackson, Erlang records or maps)"},
    {"idea": "Event-driven architectures (2nd edition): events are long-lived data in a log, read by "
             "consumers that start years later; each event names its writer schema in the registry",
     "where": "Dataflow › Events in a log: compatibility mode, reader version, retention"},
    {"idea": "Durable execution (2nd edition): steps recorded in an event log, replayed after a crash; "
             "workflow code must stay deterministic, so changes need versioning",
     "where": "Dataflow › Durable execution: crash, reorder or add a step, a patch marker"},
])

st.subheader("How it works")
st.markdown(
    "- `formats/`: one module per format. `encode` lets the library write, then a hand-written walk "
    "labels every byte (offsets, kind, label, the record path it belongs to, an explanation).\n"
    "- `evolution/`: the change catalogue in .avsc, .proto and .thrift; real writer → reader decoding; "
    "the reference checkers (the apache `avro` package's for Avro, `buf breaking` for Protobuf) beside a "
    "rule table that explains every verdict and is the only checker for Thrift.\n"
    "- `dataflow/`: deterministic, seeded simulations whose messages are real bytes from `formats/`.\n"
    "- The pages only lay out widgets. Nothing needs a network connection once installed.")
