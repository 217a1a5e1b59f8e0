-- Registrations per operator day, mini-grid and customer group, so the dashboards count customers, meters and new
-- connections without reading the meters table (count(DISTINCT customer_id) over 100,000 meters on every request).
--   meters           meters registered that day
--   grid_customers   customers whose first meter in the mini-grid was registered that day (counted once per mini-grid,
--                    in the group of that first meter): summed over groups it is the mini-grid's distinct customers
--   group_customers  customers whose first meter in the mini-grid and group was registered that day: the group's
--                    distinct customers
-- Summing a column over day <= D gives the figure "registered by the end of D", exactly what a distinct count over the
-- meters registered before the next operator midnight gives. Kept current by statement triggers on meters, in the
-- same transaction as the registration; rebuilt when a village moves to another mini-grid or the time zone changes.
CREATE TABLE registrations_daily (
    day date NOT NULL,
    mini_grid_id bigint NOT NULL REFERENCES mini_grids (id),
    connection_type_id bigint NOT NULL DEFAULT 0,
    meters int NOT NULL DEFAULT 0,
    grid_customers int NOT NULL DEFAULT 0,
    group_customers int NOT NULL DEFAULT 0,
    PRIMARY KEY (mini_grid_id, day, connection_type_id)
);

-- The contribution of a set of meters (their full state for the customers concerned) to registrations_daily.
CREATE FUNCTION registrations_of(state mpm.meters[]) RETURNS TABLE (
    day date, mini_grid_id bigint, connection_type_id bigint, meters int, grid_customers int, group_customers int
) LANGUAGE sql STABLE AS $$
    WITH zone AS (SELECT mpm.operator_zone() AS name),
    placed AS (
        SELECT m.id, m.customer_id, v.mini_grid_id, coalesce(m.connection_type_id, 0) AS connection_type_id,
               (m.registered_at AT TIME ZONE zone.name)::date AS day
          FROM unnest(state) m JOIN mpm.villages v ON v.id = m.village_id CROSS JOIN zone),
    ranked AS (
        SELECT p.*,
               row_number() OVER (PARTITION BY p.customer_id, p.mini_grid_id ORDER BY p.day, p.id) AS grid_rank,
               row_number() OVER (PARTITION BY p.customer_id, p.mini_grid_id, p.connection_type_id ORDER BY p.day, p.id) AS group_rank
          FROM placed p)
    SELECT r.day, r.mini_grid_id, r.connection_type_id, count(*)::int,
           (count(*) FILTER (WHERE r.grid_rank = 1))::int, (count(*) FILTER (WHERE r.group_rank = 1))::int
      FROM ranked r
     GROUP BY 1, 2, 3
$$;

-- Moves the aggregate from the customers' meters before a change to their meters after it: the difference of the two
-- contributions, one upsert in key order (concurrent registrations lock the rows in the same order: no deadlock).
-- customer_ids: every customer whose meters changed; changed_ids: inserted or updated meters; old_state: the old rows of
-- updated or deleted meters. The meters table already holds the state after the change. The customers are locked first
-- (in id order): a concurrent change to the same customer's meters waits, then reads this one's committed meters.
CREATE FUNCTION registrations_apply(customer_ids bigint[], changed_ids bigint[], old_state mpm.meters[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    after_state mpm.meters[];
    before_state mpm.meters[];
BEGIN
    IF cardinality(customer_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM mpm.customers WHERE id = ANY (customer_ids) ORDER BY id FOR NO KEY UPDATE;
    after_state := ARRAY(SELECT m FROM mpm.meters m WHERE m.customer_id = ANY (customer_ids));
    before_state := ARRAY(SELECT m FROM unnest(after_state) m WHERE m.id <> ALL (changed_ids)) || old_state;
    INSERT INTO mpm.registrations_daily AS r (day, mini_grid_id, connection_type_id, meters, grid_customers, group_customers)
    SELECT d.day, d.mini_grid_id, d.connection_type_id, sum(d.meters), sum(d.grid_customers), sum(d.group_customers)
      FROM (SELECT * FROM mpm.registrations_of(after_state)
            UNION ALL
            SELECT o.day, o.mini_grid_id, o.connection_type_id, -o.meters, -o.grid_customers, -o.group_customers
              FROM mpm.registrations_of(before_state) o) d
     GROUP BY 1, 2, 3
    HAVING sum(d.meters) <> 0 OR sum(d.grid_customers) <> 0 OR sum(d.group_customers) <> 0
     ORDER BY 2, 1, 3
    ON CONFLICT (mini_grid_id, day, connection_type_id) DO UPDATE SET
        meters = r.meters + EXCLUDED.meters,
        grid_customers = r.grid_customers + EXCLUDED.grid_customers,
        group_customers = r.group_customers + EXCLUDED.group_customers;
END $$;

CREATE FUNCTION registrations_on_meters_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mpm.registrations_apply(ARRAY(SELECT DISTINCT customer_id FROM new_rows), ARRAY(SELECT id FROM new_rows), '{}');
    RETURN NULL;
END $$;
CREATE TRIGGER meters_registrations_inserted AFTER INSERT ON meters
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_on_meters_inserted();

-- Only changes to the columns the figures depend on count: a tariff change or "not in use" returns at once.
-- (Transition tables cannot be combined with a column list in the trigger itself.)
CREATE FUNCTION registrations_on_meters_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved bigint[];
BEGIN
    moved := ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (n.customer_id, n.village_id, n.connection_type_id, n.registered_at)
               IS DISTINCT FROM (o.customer_id, o.village_id, o.connection_type_id, o.registered_at));
    IF cardinality(moved) = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM mpm.registrations_apply(
        ARRAY(SELECT customer_id FROM new_rows WHERE id = ANY (moved) UNION SELECT customer_id FROM old_rows WHERE id = ANY (moved)),
        moved,
        ARRAY(SELECT ROW(o.*)::mpm.meters FROM old_rows o WHERE o.id = ANY (moved)));
    RETURN NULL;
END $$;
CREATE TRIGGER meters_registrations_updated AFTER UPDATE ON meters
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_on_meters_updated();

CREATE FUNCTION registrations_on_meters_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mpm.registrations_apply(ARRAY(SELECT DISTINCT customer_id FROM old_rows), '{}', ARRAY(SELECT ROW(o.*)::mpm.meters FROM old_rows o));
    RETURN NULL;
END $$;
CREATE TRIGGER meters_registrations_deleted AFTER DELETE ON meters
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_on_meters_deleted();

-- Recomputes the aggregate from every meter.
CREATE FUNCTION registrations_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM mpm.registrations_daily;
    INSERT INTO mpm.registrations_daily (day, mini_grid_id, connection_type_id, meters, grid_customers, group_customers)
    SELECT * FROM mpm.registrations_of(ARRAY(SELECT m FROM mpm.meters m)) ORDER BY 2, 1, 3;
END $$;

-- A village moved to another mini-grid moves its meters' registrations, and may merge or split customers' counts.
CREATE FUNCTION registrations_on_villages_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.mini_grid_id <> o.mini_grid_id) THEN
        PERFORM mpm.registrations_rebuild();
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER villages_registrations_moved AFTER UPDATE ON villages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_on_villages_moved();

-- The operator's days are the buckets.
CREATE FUNCTION registrations_on_time_zone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.key = 'operator.timezone' AND (TG_OP = 'INSERT' OR OLD.value IS DISTINCT FROM NEW.value) THEN
        PERFORM mpm.registrations_rebuild();
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER operator_settings_registrations AFTER INSERT OR UPDATE ON operator_settings
    FOR EACH ROW EXECUTE FUNCTION registrations_on_time_zone();

SELECT registrations_rebuild();
