-- Accounts and sessions (R-PLT-1). One role per account, with the scope that role needs: a
-- county admin is bound to one region, a unit officer to one responsible unit, institution staff,
-- employers and agencies to one organisation, a worker to one person record.

CREATE TABLE users (
  id                    uuid PRIMARY KEY,
  username              text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$'),
  display_name          text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role                  text NOT NULL CHECK (role IN (
                          'city_admin', 'county_admin', 'unit_officer', 'training_staff',
                          'evaluation_staff', 'employer', 'hr_agency', 'worker', 'auditor',
                          'finance')),
  region_code           text REFERENCES regions (code),
  unit_id               text REFERENCES responsible_units (id),
  -- Foreign keys arrive with the organisation and person registries.
  organisation_id       uuid,
  person_id             uuid,
  -- scrypt$N$r$p$salt$hash (see platform/auth/password.ts); never a plain or fast hash.
  password_hash         text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  must_change_password  boolean NOT NULL DEFAULT true,
  password_changed_at   timestamptz,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_login_count    integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
  locked_until          timestamptz,
  last_login_at         timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'county_admin' OR region_code IS NOT NULL),
  CHECK (role <> 'unit_officer' OR unit_id IS NOT NULL),
  CHECK (role NOT IN ('training_staff', 'evaluation_staff', 'employer', 'hr_agency')
         OR organisation_id IS NOT NULL),
  CHECK (role <> 'worker' OR person_id IS NOT NULL)
);
-- Usernames are unique regardless of case: "Admin" and "admin" are one account.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_person_key ON users (person_id) WHERE person_id IS NOT NULL;

-- Server-side sessions, so a session can be revoked. Only the SHA-256 of the bearer token is
-- stored: a copy of this table does not let anyone log in.
CREATE TABLE sessions (
  id            uuid PRIMARY KEY,
  token_hash    text NOT NULL UNIQUE,
  user_id       uuid NOT NULL REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  -- absolute expiry (12 h after login); the idle limit is checked against last_seen_at
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            inet,
  user_agent    text
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;
