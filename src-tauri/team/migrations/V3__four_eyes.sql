-- Card Desk team mode, migration 3: four-eyes approval (docs/team.md).
--
-- The desk's policy says which actions need a second person; an agent's such action waits as an
-- approval request until a supervisor — another login — approves or rejects it with a note. The
-- desk refuses to send until an approval exists, and uses each approval once. Decisions go
-- through carddesk.decide (a supervisor, not the requester, once); nothing else may change an
-- approval, and none is ever deleted.

-- One row: the desk's policy, set by a supervisor (carddesk.set_policy).
CREATE TABLE carddesk.policy (
    id                    boolean     PRIMARY KEY DEFAULT true CHECK (id),
    -- any bulk run on a production profile
    production_bulk       boolean     NOT NULL DEFAULT true,
    -- removing all of a customer's cards on a production profile
    production_revoke_all boolean     NOT NULL DEFAULT true,
    -- any run (bulk or revoke-all, any environment) of more than this many cards
    cards_over            integer     CHECK (cards_over IS NULL OR cards_over >= 1),
    set_by                text        NOT NULL DEFAULT current_user,
    set_at                timestamptz NOT NULL DEFAULT now()
);
INSERT INTO carddesk.policy DEFAULT VALUES;

CREATE TABLE carddesk.approvals (
    id            uuid        PRIMARY KEY,
    desk_id       uuid        NOT NULL REFERENCES carddesk.desks (desk_id),
    action        text        NOT NULL CHECK (action IN ('bulk_run', 'revoke_all')),
    environment   text        NOT NULL,
    merchant_id   text        NOT NULL,
    -- the bulk job's id, or the customer number
    subject       text        NOT NULL,
    cards         integer     NOT NULL CHECK (cards >= 0),
    -- what the supervisor decides on: the dry run's counts, or the customer's cards (masked)
    summary       jsonb       NOT NULL,
    requested_by  text        NOT NULL DEFAULT session_user,
    requested_as  text        NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    state         text        NOT NULL DEFAULT 'waiting'
                              CHECK (state IN ('waiting', 'approved', 'rejected', 'used')),
    decided_by    text,
    decided_as    text,
    decided_at    timestamptz,
    note          text        CHECK (note IS NULL OR length(note) <= 500),
    used_at       timestamptz,
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX approvals_waiting ON carddesk.approvals (requested_at) WHERE state = 'waiting';
CREATE INDEX approvals_subject ON carddesk.approvals (desk_id, action, subject, requested_at DESC);

-- Only carddesk.decide and carddesk.use_approval change an approval, and only these columns.
CREATE FUNCTION carddesk.guard_approval() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'carddesk.approvals keeps every approval: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.id, NEW.desk_id, NEW.action, NEW.environment, NEW.merchant_id, NEW.subject,
        NEW.cards, NEW.summary, NEW.requested_by, NEW.requested_as, NEW.requested_at)
       IS DISTINCT FROM
       (OLD.id, OLD.desk_id, OLD.action, OLD.environment, OLD.merchant_id, OLD.subject,
        OLD.cards, OLD.summary, OLD.requested_by, OLD.requested_as, OLD.requested_at) THEN
        RAISE EXCEPTION 'what was asked for cannot change' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT ((OLD.state = 'waiting' AND NEW.state IN ('approved', 'rejected'))
            OR (OLD.state = 'approved' AND NEW.state = 'used')) THEN
        RAISE EXCEPTION 'an approval % cannot become %', OLD.state, NEW.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER approvals_guard BEFORE UPDATE OR DELETE ON carddesk.approvals
    FOR EACH ROW EXECUTE FUNCTION carddesk.guard_approval();
CREATE TRIGGER approvals_no_truncate BEFORE TRUNCATE ON carddesk.approvals
    FOR EACH STATEMENT EXECUTE FUNCTION carddesk.guard_approval();

-- Whether the login is a supervisor (the role exists once grants.sql has run).
CREATE FUNCTION carddesk.is_supervisor() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'carddesk_supervisor')
       AND pg_has_role(session_user, 'carddesk_supervisor', 'MEMBER')
$$;

-- A supervisor's decision: another login than the one who asked, once.
CREATE FUNCTION carddesk.decide(p_id uuid, p_approve boolean, p_note text, p_as text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = carddesk, pg_temp AS $$
DECLARE
    a carddesk.approvals;
BEGIN
    IF NOT carddesk.is_supervisor() THEN
        RAISE EXCEPTION 'only a supervisor (carddesk_supervisor) decides approvals'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM carddesk.approvals WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no approval %', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF a.requested_by = session_user THEN
        RAISE EXCEPTION 'a second person must decide: % asked for this approval', a.requested_by
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF a.state <> 'waiting' THEN
        RAISE EXCEPTION 'this approval was already decided (%)', a.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE carddesk.approvals
       SET state = CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END,
           decided_by = session_user, decided_as = p_as, decided_at = now(), note = p_note
     WHERE id = p_id;
    RETURN CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END;
END
$$;

-- The asking desk uses an approval once, for the run it was asked for.
CREATE FUNCTION carddesk.use_approval(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = carddesk, pg_temp AS $$
DECLARE
    a carddesk.approvals;
BEGIN
    SELECT * INTO a FROM carddesk.approvals WHERE id = p_id FOR UPDATE;
    IF NOT FOUND OR a.requested_by <> session_user THEN
        RAISE EXCEPTION 'no approval % asked for by %', p_id, session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF a.state <> 'approved' THEN
        RAISE EXCEPTION 'approval % is %, not approved', p_id, a.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE carddesk.approvals SET state = 'used', used_at = now() WHERE id = p_id;
END
$$;

-- A supervisor sets the policy.
CREATE FUNCTION carddesk.set_policy(p_bulk boolean, p_revoke_all boolean, p_cards_over integer)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = carddesk, pg_temp AS $$
BEGIN
    IF NOT carddesk.is_supervisor() THEN
        RAISE EXCEPTION 'only a supervisor (carddesk_supervisor) sets the policy'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE carddesk.policy
       SET production_bulk = p_bulk, production_revoke_all = p_revoke_all,
           cards_over = p_cards_over, set_by = session_user, set_at = now();
END
$$;

REVOKE EXECUTE ON FUNCTION carddesk.decide(uuid, boolean, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION carddesk.use_approval(uuid) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION carddesk.set_policy(boolean, boolean, integer) FROM PUBLIC;
