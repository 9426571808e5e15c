-- Card Desk team mode: the least each role needs (docs/team.md). Run by the database's owner
-- after the migrations; then grant these group roles to people's login roles, e.g.
--   CREATE ROLE anna LOGIN PASSWORD '…' IN ROLE carddesk_agent;
-- No role gets UPDATE or DELETE on the trail (and its trigger refuses them to the owner too).

CREATE ROLE carddesk_agent NOLOGIN;       -- works requests, ships their desk's trail
CREATE ROLE carddesk_supervisor NOLOGIN;  -- an agent who also approves (four-eyes)
CREATE ROLE carddesk_auditor NOLOGIN;     -- reads the team's trail, changes nothing
GRANT carddesk_agent TO carddesk_supervisor;

GRANT USAGE ON SCHEMA carddesk TO carddesk_agent, carddesk_auditor;
-- Every login may see which migrations are applied ("Test connection" shows it).
GRANT SELECT ON carddesk.schema_history TO carddesk_agent, carddesk_auditor;

-- Agents: register their desk, ship entries through carddesk.ship, read the trail.
GRANT SELECT, INSERT ON carddesk.desks TO carddesk_agent;
GRANT SELECT, INSERT ON carddesk.trail TO carddesk_agent;
GRANT EXECUTE ON FUNCTION carddesk.ship(uuid, bigint, timestamptz, text, text, text, text, text,
    text, text, text) TO carddesk_agent;
GRANT EXECUTE ON FUNCTION carddesk.first_break(uuid) TO carddesk_agent, carddesk_auditor;

-- Agents work the team's requests: open, read, change (at the version read). No DELETE.
GRANT SELECT, INSERT, UPDATE ON carddesk.requests TO carddesk_agent;

-- Four-eyes: everyone reads the policy and the approvals; agents ask and use their own;
-- supervisors decide and set the policy (the functions check who calls, and that the one who
-- decides is not the one who asked).
GRANT SELECT ON carddesk.policy, carddesk.approvals TO carddesk_agent, carddesk_auditor;
GRANT INSERT ON carddesk.approvals TO carddesk_agent;
GRANT EXECUTE ON FUNCTION carddesk.is_supervisor() TO carddesk_agent, carddesk_auditor;
GRANT EXECUTE ON FUNCTION carddesk.use_approval(uuid) TO carddesk_agent;
GRANT EXECUTE ON FUNCTION carddesk.decide(uuid, boolean, text, text) TO carddesk_supervisor;
GRANT EXECUTE ON FUNCTION carddesk.set_policy(boolean, boolean, integer) TO carddesk_supervisor;

-- Auditors: read only.
GRANT SELECT ON carddesk.desks, carddesk.trail, carddesk.requests TO carddesk_auditor;

-- Functions are executable by PUBLIC unless revoked.
REVOKE EXECUTE ON FUNCTION carddesk.ship(uuid, bigint, timestamptz, text, text, text, text, text,
    text, text, text) FROM PUBLIC;
