-- Targets of clusters and mini-grids, and the daily aggregates the dashboards read.

-- A goal for a cluster or a mini-grid, valid until a date; its values per customer group are in target_values.
CREATE TABLE targets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_type text NOT NULL CHECK (owner_type IN ('cluster', 'mini-grid')),
    cluster_id bigint REFERENCES clusters (id),
    mini_grid_id bigint REFERENCES mini_grids (id),
    valid_until date NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK ((owner_type = 'cluster') = (cluster_id IS NOT NULL)),
    CHECK ((owner_type = 'mini-grid') = (mini_grid_id IS NOT NULL))
);
CREATE INDEX targets_cluster ON targets (cluster_id, valid_until) WHERE cluster_id IS NOT NULL;
CREATE INDEX targets_mini_grid ON targets (mini_grid_id, valid_until) WHERE mini_grid_id IS NOT NULL;

-- connection_type_id NULL: the goal for all customers of the owner. Every goal is optional.
CREATE TABLE target_values (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target_id bigint NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    connection_type_id bigint REFERENCES connection_types (id),
    new_connections int CHECK (new_connections >= 0),
    revenue numeric(14,2) CHECK (revenue >= 0),
    connected_power numeric(14,2) CHECK (connected_power >= 0),
    energy_per_month numeric(14,2) CHECK (energy_per_month >= 0),
    average_revenue_per_customer numeric(14,2) CHECK (average_revenue_per_customer >= 0),
    UNIQUE NULLS NOT DISTINCT (target_id, connection_type_id)
);

-- Confirmed transactions per operator day (received_at in the operator's time zone), mini-grid and customer group
-- (connection_type_id 0: none). Kept current by triggers in the same database transaction that confirms a payment,
-- so the dashboards never read stale figures and never scan the transactions.
CREATE TABLE dashboard_daily (
    day date NOT NULL,
    mini_grid_id bigint NOT NULL REFERENCES mini_grids (id),
    connection_type_id bigint NOT NULL DEFAULT 0,
    cluster_id bigint NOT NULL REFERENCES clusters (id),
    payments int NOT NULL DEFAULT 0,
    revenue numeric(16,2) NOT NULL DEFAULT 0,
    energy_kwh numeric(16,1) NOT NULL DEFAULT 0,
    energy_amount numeric(16,2) NOT NULL DEFAULT 0,
    access_rate_amount numeric(16,2) NOT NULL DEFAULT 0,
    asset_rate_amount numeric(16,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (day, mini_grid_id, connection_type_id)
);
CREATE INDEX dashboard_daily_mini_grid ON dashboard_daily (mini_grid_id, day);
CREATE INDEX dashboard_daily_cluster ON dashboard_daily (cluster_id, day);

-- The operator's time zone; an unknown zone setting falls back to the default rather than failing a payment.
CREATE FUNCTION operator_zone() RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    zone text;
BEGIN
    SELECT nullif(trim(value), '') INTO zone FROM mpm.operator_settings WHERE key = 'operator.timezone';
    zone := coalesce(zone, 'Africa/Dar_es_Salaam');
    BEGIN
        PERFORM now() AT TIME ZONE zone;
        RETURN zone;
    EXCEPTION WHEN invalid_parameter_value THEN
        RETURN 'Africa/Dar_es_Salaam';
    END;
END $$;

-- The operator's calendar day of an instant.
CREATE FUNCTION operator_day(at timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (at AT TIME ZONE mpm.operator_zone())::date
$$;

-- Adds (direction 1) or takes off (direction -1) the figures of confirmed transactions: amounts, kWh and net
-- allocations. One upsert per day, mini-grid and group, in key order: concurrent pipeline batches lock the aggregate
-- rows in the same order, so they wait for each other but never deadlock.
-- PL/pgSQL rather than SQL: its plans are cached per connection, and most calls (nothing confirmed) return at once.
CREATE FUNCTION dashboard_apply(transaction_ids bigint[], direction int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(transaction_ids) = 0 THEN
        RETURN;
    END IF;
    WITH ids AS (SELECT DISTINCT unnest(transaction_ids) AS id),
    split AS (
        SELECT a.transaction_id,
               sum(a.amount) FILTER (WHERE a.type = 'energy') AS energy,
               sum(a.amount) FILTER (WHERE a.type = 'access-rate') AS access,
               sum(a.amount) FILTER (WHERE a.type = 'asset-rate') AS asset
          FROM mpm.allocations a JOIN ids ON ids.id = a.transaction_id
         GROUP BY a.transaction_id),
    zone AS (SELECT mpm.operator_zone() AS name)
    INSERT INTO mpm.dashboard_daily AS d
        (day, mini_grid_id, connection_type_id, cluster_id, payments, revenue, energy_kwh, energy_amount, access_rate_amount, asset_rate_amount)
    SELECT (t.received_at AT TIME ZONE zone.name)::date, t.mini_grid_id, coalesce(t.connection_type_id, 0), min(t.cluster_id),
           direction * count(*), direction * sum(t.amount), direction * sum(coalesce(t.energy_kwh, 0)),
           direction * coalesce(sum(split.energy), 0), direction * coalesce(sum(split.access), 0), direction * coalesce(sum(split.asset), 0)
      FROM ids JOIN mpm.transactions t ON t.id = ids.id
      LEFT JOIN split ON split.transaction_id = t.id
      CROSS JOIN zone
     GROUP BY 1, 2, 3
     ORDER BY 1, 2, 3
    ON CONFLICT (day, mini_grid_id, connection_type_id) DO UPDATE SET
        payments = d.payments + EXCLUDED.payments,
        revenue = d.revenue + EXCLUDED.revenue,
        energy_kwh = d.energy_kwh + EXCLUDED.energy_kwh,
        energy_amount = d.energy_amount + EXCLUDED.energy_amount,
        access_rate_amount = d.access_rate_amount + EXCLUDED.access_rate_amount,
        asset_rate_amount = d.asset_rate_amount + EXCLUDED.asset_rate_amount;
END $$;

-- A transaction counts from the moment it is confirmed (and would stop counting if it ever left that state).
-- Statement triggers: the pipeline confirms a batch with one UPDATE, and its aggregates move with one upsert.
CREATE FUNCTION dashboard_on_transactions_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mpm.dashboard_apply(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.status = 'confirmed' AND o.status <> 'confirmed'), 1);
    PERFORM mpm.dashboard_apply(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.status = 'confirmed' AND n.status <> 'confirmed'), -1);
    RETURN NULL;
END $$;
CREATE TRIGGER transactions_dashboard_updated AFTER UPDATE ON transactions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_on_transactions_updated();

CREATE FUNCTION dashboard_on_transactions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mpm.dashboard_apply(ARRAY(SELECT id FROM new_rows WHERE status = 'confirmed'), 1);
    RETURN NULL;
END $$;
CREATE TRIGGER transactions_dashboard_inserted AFTER INSERT ON transactions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_on_transactions_inserted();

-- Allocations written after their transaction was confirmed (data loaded in bulk) are added to that day's split.
CREATE FUNCTION dashboard_on_allocations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The pipeline allocates before it confirms: usually there is nothing to add.
    IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN mpm.transactions t ON t.id = n.transaction_id WHERE t.status = 'confirmed') THEN
        RETURN NULL;
    END IF;
    WITH zone AS (SELECT mpm.operator_zone() AS name),
    late AS (
        SELECT (t.received_at AT TIME ZONE zone.name)::date AS day, t.mini_grid_id, coalesce(t.connection_type_id, 0) AS connection_type_id,
               coalesce(sum(n.amount) FILTER (WHERE n.type = 'energy'), 0) AS energy,
               coalesce(sum(n.amount) FILTER (WHERE n.type = 'access-rate'), 0) AS access,
               coalesce(sum(n.amount) FILTER (WHERE n.type = 'asset-rate'), 0) AS asset
          FROM new_rows n JOIN mpm.transactions t ON t.id = n.transaction_id AND t.status = 'confirmed' CROSS JOIN zone
         GROUP BY 1, 2, 3)
    UPDATE mpm.dashboard_daily d SET
        energy_amount = d.energy_amount + late.energy,
        access_rate_amount = d.access_rate_amount + late.access,
        asset_rate_amount = d.asset_rate_amount + late.asset
      FROM late
     WHERE d.day = late.day AND d.mini_grid_id = late.mini_grid_id AND d.connection_type_id = late.connection_type_id;
    RETURN NULL;
END $$;
CREATE TRIGGER allocations_dashboard AFTER INSERT ON allocations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_on_allocations_inserted();

-- Recomputes every aggregate from the transactions: after a bulk load with the triggers disabled, and when the
-- operator's time zone changes (its days are the buckets).
CREATE FUNCTION dashboard_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM mpm.dashboard_daily;
    PERFORM mpm.dashboard_apply(ARRAY(SELECT id FROM mpm.transactions WHERE status = 'confirmed'), 1);
END $$;

CREATE FUNCTION dashboard_on_time_zone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.key = 'operator.timezone' AND (TG_OP = 'INSERT' OR OLD.value IS DISTINCT FROM NEW.value) THEN
        PERFORM mpm.dashboard_rebuild();
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER operator_settings_dashboard AFTER INSERT OR UPDATE ON operator_settings
    FOR EACH ROW EXECUTE FUNCTION dashboard_on_time_zone();
