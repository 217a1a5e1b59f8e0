-- Places, customer groups, tariffs, manufacturers, customers, meters, access-rate accounts, assets, readings.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE clusters (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    manager_name text,
    latitude numeric(9,6),
    longitude numeric(9,6),
    area_geojson text,
    created_at timestamptz NOT NULL
);

CREATE TABLE mini_grids (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cluster_id bigint NOT NULL REFERENCES clusters (id),
    name text NOT NULL UNIQUE,
    latitude numeric(9,6) NOT NULL,
    longitude numeric(9,6) NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX mini_grids_cluster ON mini_grids (cluster_id);

CREATE TABLE villages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mini_grid_id bigint NOT NULL REFERENCES mini_grids (id),
    name text NOT NULL,
    latitude numeric(9,6) NOT NULL,
    longitude numeric(9,6) NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (mini_grid_id, name)
);

-- Customer groups: what targets, reports and bulk SMS break customers down by.
CREATE TABLE connection_types (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE connection_groups (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE tariffs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    price_per_kwh numeric(14,4) NOT NULL CHECK (price_per_kwh > 0),
    minimum_purchase numeric(14,2) NOT NULL DEFAULT 0 CHECK (minimum_purchase >= 0),
    access_rate_amount numeric(14,2) CHECK (access_rate_amount > 0),
    access_rate_period_days int CHECK (access_rate_period_days > 0),
    created_at timestamptz NOT NULL,
    CHECK ((access_rate_amount IS NULL) = (access_rate_period_days IS NULL))
);

CREATE TABLE tariff_components (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tariff_id bigint NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
    name text NOT NULL,
    price_per_kwh numeric(14,4) NOT NULL CHECK (price_per_kwh >= 0)
);
CREATE INDEX tariff_components_tariff ON tariff_components (tariff_id);

-- A meter manufacturer and the token generator plugin that serves it; the plugin's per-manufacturer settings are in
-- plugin_settings under scope 'manufacturer:<id>'.
CREATE TABLE manufacturers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    token_generator text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    surname text NOT NULL,
    phone text NOT NULL,
    birth_date date,
    gender text CHECK (gender IN ('female', 'male', 'other')),
    connection_type_id bigint REFERENCES connection_types (id),
    created_at timestamptz NOT NULL,
    -- Kept current by the application: name, surname, phone, city and meter serials, for the one search box.
    search_text text NOT NULL DEFAULT ''
);
CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops);
CREATE INDEX customers_surname ON customers (surname, name, id);
CREATE INDEX customers_created ON customers (created_at, id);

CREATE TABLE addresses (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    village_id bigint NOT NULL REFERENCES villages (id),
    street text,
    phone text,
    latitude numeric(9,6),
    longitude numeric(9,6),
    is_primary boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL
);
CREATE INDEX addresses_customer ON addresses (customer_id);
CREATE UNIQUE INDEX addresses_one_primary ON addresses (customer_id) WHERE is_primary;

CREATE TABLE meters (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    serial_number text NOT NULL UNIQUE,
    customer_id bigint NOT NULL REFERENCES customers (id),
    village_id bigint NOT NULL REFERENCES villages (id),
    tariff_id bigint NOT NULL REFERENCES tariffs (id),
    manufacturer_id bigint NOT NULL REFERENCES manufacturers (id),
    connection_type_id bigint REFERENCES connection_types (id),
    connection_group_id bigint REFERENCES connection_groups (id),
    latitude numeric(9,6),
    longitude numeric(9,6),
    in_use boolean NOT NULL DEFAULT true,
    registered_at timestamptz NOT NULL
);
CREATE INDEX meters_customer ON meters (customer_id);
CREATE INDEX meters_village ON meters (village_id);
CREATE INDEX meters_tariff ON meters (tariff_id);
CREATE INDEX meters_serial_trgm ON meters USING gin (serial_number gin_trgm_ops);

-- One per meter whose tariff has an access rate.
CREATE TABLE access_rate_accounts (
    meter_id bigint PRIMARY KEY REFERENCES meters (id),
    amount numeric(14,2) NOT NULL,
    period_days int NOT NULL,
    next_due date NOT NULL,
    debt numeric(14,2) NOT NULL DEFAULT 0 CHECK (debt >= 0)
);
CREATE INDEX access_rate_accounts_due ON access_rate_accounts (next_due);

CREATE TABLE asset_types (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    price numeric(14,2) NOT NULL CHECK (price >= 0)
);

CREATE TABLE asset_sales (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    asset_type_id bigint NOT NULL REFERENCES asset_types (id),
    total_cost numeric(14,2) NOT NULL CHECK (total_cost > 0),
    down_payment numeric(14,2) NOT NULL CHECK (down_payment >= 0),
    rate_count int NOT NULL CHECK (rate_count > 0),
    rate_period text NOT NULL CHECK (rate_period IN ('weekly', 'monthly')),
    first_payment_date date NOT NULL,
    sold_at timestamptz NOT NULL,
    CHECK (down_payment <= total_cost)
);
CREATE INDEX asset_sales_customer ON asset_sales (customer_id);

CREATE TABLE asset_rates (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_sale_id bigint NOT NULL REFERENCES asset_sales (id),
    number int NOT NULL,
    due_date date NOT NULL,
    amount numeric(14,2) NOT NULL CHECK (amount >= 0),
    paid numeric(14,2) NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
    UNIQUE (asset_sale_id, number)
);
CREATE INDEX asset_rates_due ON asset_rates (due_date) WHERE paid < amount;

CREATE TABLE meter_readings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meter_id bigint NOT NULL REFERENCES meters (id),
    read_at timestamptz NOT NULL,
    consumption_kwh numeric(14,3) NOT NULL
);
CREATE INDEX meter_readings_meter ON meter_readings (meter_id, read_at DESC);
