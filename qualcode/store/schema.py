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
    # 4: ids are never reused. SQLite gives a new row the highest id plus one, so after the
    # newest row is deleted its id came back for the next one, and undo could mistake the new row
    # for the old. AUTOINCREMENT never hands out an id twice. Each table is rebuilt (SQLite
    # cannot alter a primary key) with the same columns in the same order, constraints and
    # indexes; the counters start above every id the table or the change log ever held.
    """
    CREATE TABLE new_coders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE
    );
    INSERT INTO new_coders SELECT * FROM coders;
    DROP TABLE coders;
    ALTER TABLE new_coders RENAME TO coders;

    CREATE TABLE new_cases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'case',
        parent_id INTEGER REFERENCES cases(id)
    );
    INSERT INTO new_cases SELECT * FROM cases;
    DROP TABLE cases;
    ALTER TABLE new_cases RENAME TO cases;

    CREATE TABLE new_forms (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        form_type TEXT NOT NULL DEFAULT 'FE',
        date TEXT,
        version TEXT,
        office TEXT,
        case_id INTEGER REFERENCES cases(id),
        origin TEXT
    );
    INSERT INTO new_forms SELECT * FROM forms;
    DROP TABLE forms;
    ALTER TABLE new_forms RENAME TO forms;
    CREATE INDEX forms_date ON forms(date);

    CREATE TABLE new_sources (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('transcript', 'fieldnote', 'form_field', 'document')),
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        case_id INTEGER REFERENCES cases(id),
        imported_at TEXT NOT NULL,
        origin TEXT,
        encoding TEXT,
        form_id INTEGER REFERENCES forms(id),
        field TEXT
    );
    INSERT INTO new_sources SELECT * FROM sources;
    DROP TABLE sources;
    ALTER TABLE new_sources RENAME TO sources;
    CREATE INDEX sources_case ON sources(case_id);
    CREATE INDEX sources_sha ON sources(sha256);
    CREATE INDEX sources_form ON sources(form_id);

    CREATE TABLE new_turns (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        n INTEGER NOT NULL,
        speaker TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        UNIQUE (source_id, n)
    );
    INSERT INTO new_turns SELECT * FROM turns;
    DROP TABLE turns;
    ALTER TABLE new_turns RENAME TO turns;

    CREATE TABLE new_attributes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        entity_kind TEXT NOT NULL CHECK (entity_kind IN ('case', 'source')),
        entity_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'bool')),
        value,
        UNIQUE (entity_kind, entity_id, name)
    );
    INSERT INTO new_attributes SELECT * FROM attributes;
    DROP TABLE attributes;
    ALTER TABLE new_attributes RENAME TO attributes;

    CREATE TABLE new_codes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    INSERT INTO new_codes SELECT * FROM codes;
    DROP TABLE codes;
    ALTER TABLE new_codes RENAME TO codes;
    CREATE UNIQUE INDEX codes_sibling_name ON codes(ifnull(parent_id, 0), name);

    CREATE TABLE new_code_groups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        en TEXT,
        exclusive INTEGER NOT NULL DEFAULT 1
    );
    INSERT INTO new_code_groups SELECT * FROM code_groups;
    DROP TABLE code_groups;
    ALTER TABLE new_code_groups RENAME TO code_groups;

    CREATE TABLE new_code_group_members (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL REFERENCES code_groups(id),
        code_id INTEGER NOT NULL REFERENCES codes(id),
        UNIQUE (group_id, code_id)
    );
    INSERT INTO new_code_group_members SELECT * FROM code_group_members;
    DROP TABLE code_group_members;
    ALTER TABLE new_code_group_members RENAME TO code_group_members;

    CREATE TABLE new_codings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    INSERT INTO new_codings SELECT * FROM codings;
    DROP TABLE codings;
    ALTER TABLE new_codings RENAME TO codings;
    CREATE INDEX codings_code ON codings(code_id);
    CREATE INDEX codings_source ON codings(source_id, start);

    CREATE TABLE new_memos (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'source', 'code', 'case')),
        target_id INTEGER,
        title TEXT,
        text TEXT NOT NULL,
        coder_id INTEGER REFERENCES coders(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO new_memos SELECT * FROM memos;
    DROP TABLE memos;
    ALTER TABLE new_memos RENAME TO memos;

    CREATE TABLE new_measures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dataset TEXT NOT NULL,
        key_name TEXT NOT NULL,
        key_value TEXT NOT NULL,
        name TEXT NOT NULL,
        value REAL,
        UNIQUE (dataset, key_name, key_value, name)
    );
    INSERT INTO new_measures SELECT * FROM measures;
    DROP TABLE measures;
    ALTER TABLE new_measures RENAME TO measures;

    CREATE TABLE new_codebooks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        title TEXT,
        en TEXT,
        description TEXT,
        source TEXT,
        loaded_at TEXT NOT NULL
    );
    INSERT INTO new_codebooks SELECT * FROM codebooks;
    DROP TABLE codebooks;
    ALTER TABLE new_codebooks RENAME TO codebooks;

    -- The copies above set each counter to the table's highest id. Rows deleted since may have
    -- had higher ids, and undo can bring them back: the counters start above those too.
    CREATE TEMP TABLE logged_ids (t TEXT NOT NULL, id INTEGER NOT NULL);
    INSERT INTO logged_ids
        SELECT json_extract(o.value, '$.t'), k.value
        FROM events, json_each(events.ops) AS o, json_each(o.value, '$.keys') AS k
        WHERE json_extract(o.value, '$.op') = 'ins' AND json_extract(o.value, '$.k') = 'id'
        UNION ALL
        SELECT json_extract(o.value, '$.t'), json_extract(r.value, '$.id')
        FROM events, json_each(events.ops) AS o, json_each(o.value, '$.rows') AS r
        WHERE json_extract(r.value, '$.id') IS NOT NULL;
    DELETE FROM logged_ids WHERE typeof(id) != 'integer'
        OR t NOT IN ('coders', 'cases', 'forms', 'sources', 'turns', 'attributes', 'codes',
                     'code_groups', 'code_group_members', 'codings', 'memos', 'measures',
                     'codebooks');
    UPDATE sqlite_sequence SET seq = max(seq, (SELECT max(id) FROM logged_ids WHERE t = name))
        WHERE name IN (SELECT t FROM logged_ids);
    INSERT INTO sqlite_sequence (name, seq)
        SELECT t, max(id) FROM logged_ids
        WHERE t NOT IN (SELECT name FROM sqlite_sequence) GROUP BY t;
    DROP TABLE logged_ids;
    """,
    # 5: several coders: screening decisions per document, coder and phase; project settings
    """
    -- Project-wide settings (e.g. blind coding), one row per name.
    CREATE TABLE settings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        value TEXT
    );
    -- The decisions the project allows; `continues` = the document goes on to the next phase.
    CREATE TABLE decision_options (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE CHECK (name <> ''),
        en TEXT,
        continues INTEGER NOT NULL DEFAULT 1,
        position INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO decision_options (name, en, continues, position)
        VALUES ('include', 'include', 1, 1), ('exclude', 'exclude', 0, 2);
    -- Criteria a document can be judged on one by one (transferability, goal attainment ...).
    CREATE TABLE criteria (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE CHECK (name <> ''),
        en TEXT,
        dimension TEXT,
        position INTEGER NOT NULL DEFAULT 0
    );
    -- One coder's decision on one document in one phase; criterion '' = on the whole document.
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        coder_id INTEGER NOT NULL REFERENCES coders(id),
        phase TEXT NOT NULL CHECK (phase <> ''),
        criterion TEXT NOT NULL DEFAULT '',
        decision TEXT NOT NULL,
        reason TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (source_id, coder_id, phase, criterion)
    );
    CREATE INDEX decisions_phase ON decisions(phase, criterion);
    """,
    # search: a full-text index of the sources' texts, and autocoding suggestions. The index is
    # an FTS5 table over sources.text kept in step by triggers, so every way a text is written,
    # replaced or deleted (imports, edits, undo and redo) updates it in the same transaction.
    # It narrows a search to the sources that can hold a hit; offsets come from the text itself.
    """
    CREATE VIRTUAL TABLE sources_fts USING fts5(
        text, content = 'sources', content_rowid = 'id',
        tokenize = "unicode61 remove_diacritics 0");
    INSERT INTO sources_fts (sources_fts) VALUES ('rebuild');
    CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
        INSERT INTO sources_fts (rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
        INSERT INTO sources_fts (sources_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER sources_fts_update AFTER UPDATE OF text ON sources BEGIN
        INSERT INTO sources_fts (sources_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO sources_fts (rowid, text) VALUES (new.id, new.text);
    END;
    -- A suggestion to code a span, found by a codebook pattern. `state`: open until a coder
    -- accepts it (then `coding_id` is the coding it became) or rejects it; a rejected one is
    -- kept so that the same span is not suggested for the same code again. Suggestions are
    -- proposals, not part of the coding: only accepting and rejecting are undoable changes, and
    -- they go with their source or code when that is deleted.
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
        unit TEXT NOT NULL CHECK (unit IN ('word', 'sentence', 'turn', 'paragraph', 'field')),
        words TEXT NOT NULL,
        word_start INTEGER NOT NULL,
        word_end INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
        coding_id INTEGER,
        created_at TEXT NOT NULL,
        decided_by TEXT,
        CHECK (0 <= start AND start < "end"),
        UNIQUE (source_id, code_id, start, "end")
    );
    CREATE INDEX suggestions_state ON suggestions(state, code_id);
    CREATE INDEX suggestions_source ON suggestions(source_id);
    -- A new text makes the offsets of what was suggested for the old one meaningless.
    CREATE TRIGGER suggestions_stale AFTER UPDATE OF text ON sources BEGIN
        DELETE FROM suggestions WHERE source_id = new.id AND state != 'accepted';
    END;
    """,
    # bookmarks: a place in a source's text that a coder wants to come back to. A point, not a
    # span (`offset` into the text, like a coding's start), with an optional short label.
    # Replacing the text moves each bookmark with the words around it (core/bookmarks.py).
    """
    CREATE TABLE bookmarks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guid TEXT NOT NULL UNIQUE,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        "offset" INTEGER NOT NULL CHECK ("offset" >= 0),
        label TEXT,
        coder_id INTEGER NOT NULL REFERENCES coders(id),
        created_at TEXT NOT NULL
    );
    CREATE INDEX bookmarks_source ON bookmarks(source_id, "offset");
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
