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

-- Adds (direction 1) or takes off (direction -1) one transaction's figures: its amount, kWh and net allocations so far.
CREATE FUNCTION dashboard_apply(tx mpm.transactions, direction int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    energy numeric;
    access numeric;
    asset numeric;
BEGIN
    SELECT coalesce(sum(amount) FILTER (WHERE type = 'energy'), 0),
           coalesce(sum(amount) FILTER (WHERE type = 'access-rate'), 0),
           coalesce(sum(amount) FILTER (WHERE type = 'asset-rate'), 0)
      INTO energy, access, asset
      FROM mpm.allocations WHERE transaction_id = tx.id;
    INSERT INTO mpm.dashboard_daily AS d
        (day, mini_grid_id, connection_type_id, cluster_id, payments, revenue, energy_kwh, energy_amount, access_rate_amount, asset_rate_amount)
    VALUES (mpm.operator_day(tx.received_at), tx.mini_grid_id, coalesce(tx.connection_type_id, 0), tx.cluster_id,
            direction, direction * tx.amount, direction * coalesce(tx.energy_kwh, 0), direction * energy, direction * access, direction * asset)
    ON CONFLICT (day, mini_grid_id, connection_type_id) DO UPDATE SET
        payments = d.payments + EXCLUDED.payments,
        revenue = d.revenue + EXCLUDED.revenue,
        energy_kwh = d.energy_kwh + EXCLUDED.energy_kwh,
        energy_amount = d.energy_amount + EXCLUDED.energy_amount,
        access_rate_amount = d.access_rate_amount + EXCLUDED.access_rate_amount,
        asset_rate_amount = d.asset_rate_amount + EXCLUDED.asset_rate_amount;
END $$;

-- A transaction counts from the moment it is confirmed (and would stop counting if it ever left that state).
CREATE FUNCTION dashboard_on_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'confirmed' AND NEW.status <> 'confirmed' THEN
        PERFORM mpm.dashboard_apply(OLD, -1);
    ELSIF NEW.status = 'confirmed' AND (TG_OP = 'INSERT' OR OLD.status <> 'confirmed') THEN
        PERFORM mpm.dashboard_apply(NEW, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER transactions_dashboard AFTER INSERT OR UPDATE OF status ON transactions
    FOR EACH ROW EXECUTE FUNCTION dashboard_on_transaction();

-- An allocation written after its transaction was confirmed (data loaded in bulk) is added to that day's split.
CREATE FUNCTION dashboard_on_allocation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx mpm.transactions;
BEGIN
    SELECT * INTO tx FROM mpm.transactions WHERE id = NEW.transaction_id AND status = 'confirmed';
    IF FOUND THEN
        UPDATE mpm.dashboard_daily SET
            energy_amount = energy_amount + CASE WHEN NEW.type = 'energy' THEN NEW.amount ELSE 0 END,
            access_rate_amount = access_rate_amount + CASE WHEN NEW.type = 'access-rate' THEN NEW.amount ELSE 0 END,
            asset_rate_amount = asset_rate_amount + CASE WHEN NEW.type = 'asset-rate' THEN NEW.amount ELSE 0 END
        WHERE day = mpm.operator_day(tx.received_at) AND mini_grid_id = tx.mini_grid_id AND connection_type_id = coalesce(tx.connection_type_id, 0);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER allocations_dashboard AFTER INSERT ON allocations
    FOR EACH ROW EXECUTE FUNCTION dashboard_on_allocation();

-- Recomputes every aggregate from the transactions: after a bulk load with the triggers disabled, and when the
-- operator's time zone changes (its days are the buckets).
CREATE FUNCTION dashboard_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    zone text := mpm.operator_zone();
BEGIN
    DELETE FROM mpm.dashboard_daily;
    INSERT INTO mpm.dashboard_daily
        (day, mini_grid_id, connection_type_id, cluster_id, payments, revenue, energy_kwh, energy_amount, access_rate_amount, asset_rate_amount)
    SELECT (t.received_at AT TIME ZONE zone)::date, t.mini_grid_id, coalesce(t.connection_type_id, 0), min(t.cluster_id),
           count(*), sum(t.amount), sum(coalesce(t.energy_kwh, 0)),
           coalesce(sum(a.energy), 0), coalesce(sum(a.access), 0), coalesce(sum(a.asset), 0)
      FROM mpm.transactions t
      LEFT JOIN (SELECT transaction_id,
                        sum(amount) FILTER (WHERE type = 'energy') AS energy,
                        sum(amount) FILTER (WHERE type = 'access-rate') AS access,
                        sum(amount) FILTER (WHERE type = 'asset-rate') AS asset
                   FROM mpm.allocations GROUP BY transaction_id) a ON a.transaction_id = t.id
     WHERE t.status = 'confirmed'
     GROUP BY 1, 2, 3;
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
