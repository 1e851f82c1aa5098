"""The schema as an ordered list of migrations.

A new file is built by running every migration in order, so the code that upgrades an old file is
the same code that builds a new one, and is tested on every run. `PRAGMA user_version` holds the
number of migrations applied. Never edit a released migration: append a new one.
"""

MIGRATIONS: list[str] = [
    # 1: the coding core
    """
    CREATE TABLE project (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE coders (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'case',
        parent_id INTEGER REFERENCES cases(id)
    );
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('transcript', 'fieldnote', 'form_field', 'document')),
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        case_id INTEGER REFERENCES cases(id),
        imported_at TEXT NOT NULL,
        origin TEXT,
        encoding TEXT
    );
    CREATE INDEX sources_case ON sources(case_id);
    CREATE INDEX sources_sha ON sources(sha256);
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        n INTEGER NOT NULL,
        speaker TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        UNIQUE (source_id, n)
    );
    -- Attributes of a case or a source. `value` keeps SQLite's own type (INTEGER, REAL, TEXT);
    -- `type` says how it was given so that dates and booleans come back as such.
    CREATE TABLE attributes (
        id INTEGER PRIMARY KEY,
        entity_kind TEXT NOT NULL CHECK (entity_kind IN ('case', 'source')),
        entity_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'bool')),
        value,
        UNIQUE (entity_kind, entity_id, name)
    );
    CREATE TABLE codes (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        parent_id INTEGER REFERENCES codes(id),
        name TEXT NOT NULL CHECK (name <> '' AND instr(name, '/') = 0),
        en TEXT,
        description TEXT,
        include TEXT,
        exclude TEXT,
        example TEXT,
        color TEXT,
        codable INTEGER NOT NULL DEFAULT 1,
        position INTEGER NOT NULL DEFAULT 0,
        codebook TEXT,
        patterns TEXT
    );
    CREATE UNIQUE INDEX codes_sibling_name ON codes(ifnull(parent_id, 0), name);
    CREATE TABLE code_groups (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        en TEXT,
        exclusive INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE code_group_members (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES code_groups(id),
        code_id INTEGER NOT NULL REFERENCES codes(id),
        UNIQUE (group_id, code_id)
    );
    CREATE TABLE codings (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        code_id INTEGER NOT NULL REFERENCES codes(id),
        coder_id INTEGER NOT NULL REFERENCES coders(id),
        memo TEXT,
        origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'auto', 'import')),
        created_at TEXT NOT NULL,
        CHECK (0 <= start AND start < "end"),
        UNIQUE (source_id, code_id, coder_id, start, "end")
    );
    CREATE INDEX codings_code ON codings(code_id);
    CREATE INDEX codings_source ON codings(source_id, start);
    CREATE TABLE memos (
        id INTEGER PRIMARY KEY,
        guid TEXT NOT NULL UNIQUE,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'source', 'code', 'case')),
        target_id INTEGER,
        title TEXT,
        text TEXT NOT NULL,
        coder_id INTEGER REFERENCES coders(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    -- Append-only log of changes. `ops` is the JSON list of row changes that undo reverses.
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        coder TEXT,
        action TEXT NOT NULL,
        summary TEXT,
        ops TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'discarded'))
    );
    CREATE INDEX events_state ON events(state, id);
    """,
    # 2: fidelity forms and quantitative measures
    """
    CREATE TABLE forms (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        form_type TEXT NOT NULL DEFAULT 'FE',
        date TEXT,
        version TEXT,
        office TEXT,
        case_id INTEGER REFERENCES cases(id),
        origin TEXT
    );
    CREATE INDEX forms_date ON forms(date);
    -- Numeric fields of a form (ratings such as "carried out as intended", 0-10).
    CREATE TABLE form_values (
        form_id INTEGER NOT NULL REFERENCES forms(id),
        name TEXT NOT NULL,
        value REAL,
        PRIMARY KEY (form_id, name)
    ) WITHOUT ROWID;
    -- One row per item (tool or principle) on a form. `on_form` = the form's version had the item.
    CREATE TABLE form_items (
        form_id INTEGER NOT NULL REFERENCES forms(id),
        kind TEXT NOT NULL CHECK (kind IN ('tool', 'principle')),
        item TEXT NOT NULL,
        on_form INTEGER NOT NULL DEFAULT 1,
        planned INTEGER,
        used INTEGER,
        mastery REAL,
        PRIMARY KEY (form_id, kind, item)
    ) WITHOUT ROWID;
    ALTER TABLE sources ADD COLUMN form_id INTEGER REFERENCES forms(id);
    ALTER TABLE sources ADD COLUMN field TEXT;
    CREATE INDEX sources_form ON sources(form_id);
    -- Quantitative tables keyed by a case name or an attribute value (e.g. office-level means).
    CREATE TABLE measures (
        id INTEGER PRIMARY KEY,
        dataset TEXT NOT NULL,
        key_name TEXT NOT NULL,
        key_value TEXT NOT NULL,
        name TEXT NOT NULL,
        value REAL,
        UNIQUE (dataset, key_name, key_value, name)
    );
    """,
    # 3: what each loaded codebook is (title, English title, description, reference)
    """
    CREATE TABLE codebooks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        title TEXT,
        en TEXT,
        description TEXT,
        source TEXT,
        loaded_at TEXT NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
