-- Card Desk team mode, migration 2: the team's one register of customers' requests
-- (docs/team.md, docs/customer-requests.md).
--
-- A request is stored whole, as the desk's own register stores it (its JSON, with its history
-- inside), at a version: a change is written only if the row is still at the version the agent
-- read, in one UPDATE, so two agents cannot both take the same request — the second is told
-- someone changed it first and sees the change. Copies of what the list filters and sorts on
-- sit beside the JSON. Requests are changed, never deleted: no role is granted DELETE.

CREATE TABLE carddesk.requests (
    id          text        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    version     bigint      NOT NULL CHECK (version >= 1),
    body        jsonb       NOT NULL,
    status      text        NOT NULL,
    deadline    date,
    assignee    text,
    customers   text[]      NOT NULL DEFAULT '{}',
    -- who wrote this version, and when (the server's clock and login)
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text        NOT NULL DEFAULT current_user
);

CREATE INDEX requests_open_by_deadline ON carddesk.requests (deadline NULLS LAST, id)
    WHERE status IN ('new', 'in_progress');
CREATE INDEX requests_customers ON carddesk.requests USING gin (customers);

CREATE FUNCTION carddesk.refuse_request_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'carddesk.requests keeps every request: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER requests_no_delete
    BEFORE DELETE ON carddesk.requests
    FOR EACH ROW EXECUTE FUNCTION carddesk.refuse_request_delete();
CREATE TRIGGER requests_no_truncate
    BEFORE TRUNCATE ON carddesk.requests
    FOR EACH STATEMENT EXECUTE FUNCTION carddesk.refuse_request_delete();
