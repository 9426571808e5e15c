-- Card Desk team mode, migration 1: the team's audit trail (docs/team.md).
--
-- Every desk keeps writing its own hash-chained audit log first; an outbox ships each entry
-- here, in order, exactly as the desk wrote it. One row per (desk, seq): a repeat of the same
-- entry is a no-op, a different entry under a number already shipped is refused (an alarm:
-- someone's log was rewritten). The table is append-only for everyone: the grants give no role
-- UPDATE or DELETE, and a trigger refuses them (and TRUNCATE) even to the schema's owner.

CREATE SCHEMA IF NOT EXISTS carddesk;

-- The desks that ship here: one per data dir (its id is made once and kept beside the log).
CREATE TABLE carddesk.desks (
    desk_id     uuid        PRIMARY KEY,
    -- what people call it: "Anna's laptop", "back office 2"
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    first_seen  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE carddesk.trail (
    desk_id      uuid        NOT NULL REFERENCES carddesk.desks (desk_id),
    seq          bigint      NOT NULL CHECK (seq >= 1),
    -- the entry's own time (UTC, as the desk wrote it) and the server's on arrival
    at           timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    -- the line exactly as hashed by the desk: verification re-hashes nothing it cannot see
    line         text        NOT NULL,
    hash         char(64)    NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    prev         char(64)    NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
    -- copied out of the line for the team audit view's filters
    action       text        NOT NULL,
    operator     text        NOT NULL,
    outcome      text,
    -- the customer number, as the line holds it (the trail is personal data: docs/team.md)
    customer     text,
    request      text,
    PRIMARY KEY (desk_id, seq)
);

-- The team audit view: newest first, by customer, by operator, by request.
CREATE INDEX trail_at ON carddesk.trail (at DESC, desk_id, seq);
CREATE INDEX trail_customer ON carddesk.trail (customer, at DESC) WHERE customer IS NOT NULL;
CREATE INDEX trail_operator ON carddesk.trail (operator, at DESC);
CREATE INDEX trail_request ON carddesk.trail (request, at DESC) WHERE request IS NOT NULL;

CREATE FUNCTION carddesk.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'carddesk.trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER trail_append_only
    BEFORE UPDATE OR DELETE ON carddesk.trail
    FOR EACH ROW EXECUTE FUNCTION carddesk.refuse_change();
CREATE TRIGGER trail_no_truncate
    BEFORE TRUNCATE ON carddesk.trail
    FOR EACH STATEMENT EXECUTE FUNCTION carddesk.refuse_change();

-- Ships one entry: 'added', or 'repeat' when the same entry is already here. A different
-- entry under the same (desk, seq) raises 'conflicting repeat' and changes nothing.
CREATE FUNCTION carddesk.ship(
    p_desk uuid, p_seq bigint, p_at timestamptz, p_line text, p_hash text, p_prev text,
    p_action text, p_operator text, p_outcome text, p_customer text, p_request text
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    have text;
BEGIN
    INSERT INTO carddesk.trail (desk_id, seq, at, line, hash, prev, action, operator, outcome,
                                customer, request)
    VALUES (p_desk, p_seq, p_at, p_line, p_hash, p_prev, p_action, p_operator, p_outcome,
            p_customer, p_request)
    ON CONFLICT (desk_id, seq) DO NOTHING;
    IF FOUND THEN
        RETURN 'added';
    END IF;
    SELECT hash INTO have FROM carddesk.trail WHERE desk_id = p_desk AND seq = p_seq;
    IF have = p_hash THEN
        RETURN 'repeat';
    END IF;
    RAISE EXCEPTION 'conflicting repeat: desk % entry % is already here with hash %, not %',
        p_desk, p_seq, have, p_hash
        USING ERRCODE = 'unique_violation';
END
$$;

-- Each desk's chain as the server holds it: the first entry whose `prev` is not the hash of
-- the entry before it, or whose number skips one (an entry not shipped yet is a gap too: the
-- desk's outbox says how far behind it is). No row: the desk's chain is whole.
CREATE FUNCTION carddesk.first_break(p_desk uuid)
RETURNS TABLE (seq bigint, problem text)
LANGUAGE sql STABLE AS $$
    SELECT t.seq,
           CASE WHEN t.seq <> t.before_seq + 1 THEN 'gap before this entry'
                ELSE 'prev is not the hash of the entry before' END
    FROM (
        SELECT seq, prev,
               lag(seq, 1, 0::bigint) OVER w AS before_seq,
               lag(hash) OVER w AS before_hash
        FROM carddesk.trail WHERE desk_id = p_desk
        WINDOW w AS (ORDER BY seq)
    ) t
    WHERE t.seq <> t.before_seq + 1
       OR (t.before_hash IS NOT NULL AND t.prev <> t.before_hash)
    ORDER BY t.seq
    LIMIT 1
$$;
