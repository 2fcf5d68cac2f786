"""Peer cross-check: the DataStax Python driver against the local CQL server.

Run by PythonDriverCrossCheckTests with /usr/bin/python3. Reads one JSON command on stdin, prints one JSON answer on
stdout. The driver connects with its defaults: it starts at its highest protocol version and downgrades to v4 on the
server's version error, reads system.local/peers_v2 and the system_schema tables for its metadata, and registers for
events.

Command: {"contact_points": ["127.0.0.1:9042"], "keyspace": "streaming",
          "read_ids": ["id", ...],                    # rows to read back and print, as the driver decodes them
          "write_rows": [row, ...],                   # rows to insert with a prepared statement, one by one
          "batch_rows": [row, ...]}                   # rows to insert with the same statement in one unlogged batch
Row: {"id": str, "seq": int, "big": int, "at_ms": int, "u": str, "tu": str, "flag": bool,
      "attrs": {str: str} | null, "note": str | null}
"""
import calendar
import datetime
import json
import sys
import uuid

from cassandra.cluster import Cluster
from cassandra.query import BatchStatement, BatchType

COLUMNS = ["id", "seq", "big", "at", "u", "tu", "flag", "attrs", "note"]


def connect(command):
    points = [(host, int(port)) for host, port in (p.rsplit(":", 1) for p in command["contact_points"])]
    # Defaults everywhere else: protocol negotiation, schema and token metadata, the default load balancing policy.
    cluster = Cluster(contact_points=points)
    return cluster, cluster.connect(command["keyspace"])


def epoch_ms(value):
    # The driver hands timestamps back as naive datetimes in UTC.
    return calendar.timegm(value.utctimetuple()) * 1000 + value.microsecond // 1000


def as_json(row):
    return {
        "id": row.id,
        "seq": row.seq,
        "big": row.big,
        "at_ms": None if row.at is None else epoch_ms(row.at),
        "u": None if row.u is None else str(row.u),
        "tu": None if row.tu is None else str(row.tu),
        "tu_version": None if row.tu is None else row.tu.version,
        "flag": row.flag,
        "attrs": None if row.attrs is None else dict(row.attrs),
        "note": row.note,
    }


def bound(row):
    at = datetime.datetime.fromtimestamp(row["at_ms"] / 1000.0, tz=datetime.timezone.utc)
    return (row["id"], row["seq"], row["big"], at, uuid.UUID(row["u"]), uuid.UUID(row["tu"]), row["flag"],
            row["attrs"], row["note"])


def main():
    command = json.load(sys.stdin)
    cluster, session = connect(command)
    try:
        answer = {"protocol_version": cluster.protocol_version}
        select = session.prepare("SELECT %s FROM type_check WHERE id = ?" % ", ".join(COLUMNS))
        answer["read"] = [as_json(r) for i in command.get("read_ids", []) for r in session.execute(select, [i])]

        insert = session.prepare("INSERT INTO type_check (%s) VALUES (%s)" % (", ".join(COLUMNS), ", ".join(["?"] * len(COLUMNS))))
        for row in command.get("write_rows", []):
            session.execute(insert, bound(row))
        if command.get("batch_rows"):
            batch = BatchStatement(batch_type=BatchType.UNLOGGED)
            for row in command["batch_rows"]:
                batch.add(insert, bound(row))
            session.execute(batch)

        # DDL through the driver: it waits for schema agreement (system.local and peers_v2 schema_version) and
        # refreshes its metadata from system_schema, also on the SCHEMA_CHANGE events it registered for.
        ddl = session.execute("CREATE TABLE IF NOT EXISTS python_ddl (k int PRIMARY KEY, v text)")
        keyspace = cluster.metadata.keyspaces[command["keyspace"]]
        answer["schema_agreed"] = ddl.response_future.is_schema_agreed
        answer["tables_in_metadata"] = sorted(keyspace.tables)
        answer["type_check_columns"] = {n: c.cql_type for n, c in keyspace.tables["type_check"].columns.items()}
        answer["hosts"] = sorted("%s:%s" % (h.endpoint.address, h.endpoint.port) for h in cluster.metadata.all_hosts() if h.is_up)
        print(json.dumps(answer))
    finally:
        cluster.shutdown()


if __name__ == "__main__":
    main()
