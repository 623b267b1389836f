import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AppError } from '../../core/errors/index.js';
import { prng } from '../../core/testing/prng.js';
import {
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseRunFilter,
  parseRunOrderBy,
  type FilterClause,
} from './index.js';

function rejects(fn: () => unknown, field: 'filter' | 'order_by', message?: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    assert.equal(err.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(err.field, field);
    assert.equal(err.httpStatus, 400);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}
const rejectsRun = (filter: string, message?: string | RegExp): void => rejects(() => parseRunFilter(filter), 'filter', message);
const rejectsExp = (filter: string, message?: string | RegExp): void =>
  rejects(() => parseExperimentFilter(filter), 'filter', message);
const one = (filter: string): FilterClause => {
  const clauses = parseRunFilter(filter);
  assert.equal(clauses.length, 1, `expected one clause for ${filter}`);
  return clauses[0] as FilterClause;
};

describe('parseRunFilter: basics', () => {
  it('returns [] for undefined, empty and whitespace-only filters', () => {
    assert.deepEqual(parseRunFilter(undefined), []);
    assert.deepEqual(parseRunFilter(''), []);
    assert.deepEqual(parseRunFilter('   \t\n '), []);
  });

  it('parses a metric and a param joined by AND', () => {
    assert.deepEqual(parseRunFilter("metrics.rmse < 1 AND params.lr = '0.01'"), [
      { type: 'metric', key: 'rmse', comparator: '<', value: 1 },
      { type: 'param', key: 'lr', comparator: '=', value: '0.01' },
    ]);
  });

  it('accepts AND in any case', () => {
    for (const and of ['AND', 'and', 'And', 'aNd']) {
      assert.equal(parseRunFilter(`metrics.a > 1 ${and} metrics.b < 2 ${and} tags.t = 'x'`).length, 3);
    }
  });

  it('tolerates stray ANDs like MLflow, but not two comparisons without AND', () => {
    assert.equal(parseRunFilter('metrics.a > 1 AND').length, 1);
    assert.equal(parseRunFilter('AND metrics.a > 1 AND AND metrics.b > 2').length, 2);
    rejectsRun('metrics.a > 1 metrics.b > 2', "Invalid clause(s) in filter string: 'metrics.b > 2'");
  });

  it('accepts whitespace variations', () => {
    const expected = [
      { type: 'metric', key: 'a', comparator: '>=', value: 1 },
      { type: 'param', key: 'p', comparator: '=', value: 'x' },
    ];
    for (const f of [
      "metrics.a>=1 AND params.p='x'",
      "metrics.a >= 1 AND params.p = 'x'",
      "  metrics.a   >=   1   AND   params.p   =   'x'  ",
      "metrics.a\t>=\t1\nAND\nparams.p\r\n=\r\n'x'",
      "metrics.a>=1 AND params.p='x'",
    ]) {
      assert.deepEqual(parseRunFilter(f), expected, f);
    }
    // A string glued to AND still splits, as with sqlparse.
    assert.equal(parseRunFilter("params.p='x'AND params.q='y'").length, 2);
  });
});

describe('parseRunFilter: identifiers', () => {
  const aliases: Array<[string, FilterClause['type']]> = [
    ['metric', 'metric'],
    ['metrics', 'metric'],
    ['param', 'param'],
    ['params', 'param'],
    ['parameter', 'param'],
    ['parameters', 'param'],
    ['tag', 'tag'],
    ['tags', 'tag'],
  ];
  for (const [prefix, type] of aliases) {
    it(`maps the ${prefix}. prefix to ${type}`, () => {
      const value = type === 'metric' ? '1' : "'v'";
      assert.deepEqual(one(`${prefix}.k = ${value}`), {
        type,
        key: 'k',
        comparator: '=',
        value: type === 'metric' ? 1 : 'v',
      });
    });
  }

  it('maps attribute / attributes / attr / run prefixes and bare keys to attributes', () => {
    for (const prefix of ['attribute.', 'attributes.', 'attr.', 'run.', '']) {
      assert.deepEqual(one(`${prefix}status = 'FINISHED'`), {
        type: 'attribute',
        key: 'status',
        comparator: '=',
        value: 'FINISHED',
      });
    }
  });

  it('maps dataset / datasets prefixes', () => {
    for (const prefix of ['dataset', 'datasets']) {
      assert.deepEqual(one(`${prefix}.name = 'train'`), {
        type: 'dataset',
        key: 'name',
        comparator: '=',
        value: 'train',
      });
    }
  });

  it('treats entity names case-sensitively', () => {
    for (const bad of ['Metrics', 'METRICS', 'Params', 'Tags', 'Attributes', 'Datasets']) {
      rejectsRun(
        `${bad}.a = '1'`,
        `Invalid entity type '${bad}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`,
      );
    }
    rejectsRun('foo.a = 1', /^Invalid entity type 'foo'/);
  });

  it('accepts a backtick-quoted entity', () => {
    assert.deepEqual(one('`metrics`.a > 1'), { type: 'metric', key: 'a', comparator: '>', value: 1 });
  });

  it('takes keys quoted with backticks or double quotes', () => {
    assert.deepEqual(one('metrics.`f1 score` > 0.5'), { type: 'metric', key: 'f1 score', comparator: '>', value: 0.5 });
    assert.deepEqual(one('metrics."f1 score" > 0.5'), { type: 'metric', key: 'f1 score', comparator: '>', value: 0.5 });
    assert.deepEqual(one(`tags."mlflow.runName" = 'good-run'`), {
      type: 'tag',
      key: 'mlflow.runName',
      comparator: '=',
      value: 'good-run',
    });
    assert.deepEqual(one("tags.`mlflow.source.type` = 'LOCAL'"), {
      type: 'tag',
      key: 'mlflow.source.type',
      comparator: '=',
      value: 'LOCAL',
    });
    assert.deepEqual(one("params.`a-b/c:d` = 'x'"), { type: 'param', key: 'a-b/c:d', comparator: '=', value: 'x' });
  });

  it('treats a doubled quote inside a quoted key as one quote character', () => {
    assert.equal(one("tags.`a``b` = 'x'").key, 'a`b');
    assert.equal(one(`tags."a""b" = 'x'`).key, 'a"b');
  });

  it('keeps unquoted dotted keys whole (everything after the first dot)', () => {
    assert.deepEqual(one("tags.mlflow.runName = 'x'"), {
      type: 'tag',
      key: 'mlflow.runName',
      comparator: '=',
      value: 'x',
    });
  });

  it('validates attribute keys and normalises aliases', () => {
    for (const key of ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri']) {
      assert.equal(one(`attributes.${key} = 'x'`).key, key);
    }
    for (const alias of ['`run name`', '`Run name`', '`Run Name`', '"Run name"', 'attributes.`Run name`']) {
      assert.deepEqual(one(`${alias} LIKE '%x%'`), { type: 'attribute', key: 'run_name', comparator: 'LIKE', value: '%x%' });
    }
    for (const alias of ['created', 'Created', 'attributes.created']) {
      assert.deepEqual(one(`${alias} >= 1700000000000`), {
        type: 'attribute',
        key: 'start_time',
        comparator: '>=',
        value: 1700000000000,
      });
    }
    rejectsRun("attributes.lifecycle_stage = 'active'", /^Invalid attribute key 'lifecycle_stage' specified\. Valid keys are/);
    rejectsRun("attributes.experiment_id = '1'", /^Invalid attribute key 'experiment_id'/);
    rejectsRun("run_uuid = 'x'", /^Invalid attribute key 'run_uuid'/);
    rejectsRun("RUN_ID = 'x'", /^Invalid attribute key 'RUN_ID'/);
  });

  it('validates dataset keys', () => {
    for (const key of ['name', 'digest', 'context']) assert.equal(one(`datasets.${key} = 'x'`).key, key);
    rejectsRun("datasets.source = 'x'", "Invalid dataset key 'source' specified. Valid keys are '{'name', 'digest', 'context'}'");
  });

  it('rejects a dangling dot', () => {
    rejectsRun('metrics. > 1', /^Invalid clause\(s\) in filter string: 'metrics\.'/);
  });
});

describe('parseRunFilter: values', () => {
  it('parses numeric forms', () => {
    const cases: Array<[string, number]> = [
      ['1', 1],
      ['0', 0],
      ['-1', -1],
      ['1.5', 1.5],
      ['-0.25', -0.25],
      ['.5', 0.5],
      ['-.5', -0.5],
      ['5.', 5],
      ['1e3', 1000],
      ['1E3', 1000],
      ['1e-3', 0.001],
      ['-2.5e2', -250],
      ['1e+2', 100],
      ['1700000000000', 1700000000000],
    ];
    for (const [text, value] of cases) {
      assert.deepEqual(one(`metrics.m = ${text}`).value, value, text);
      assert.deepEqual(one(`attributes.end_time > ${text}`).value, value, text);
    }
  });

  it('requires numbers for metrics and numeric attributes', () => {
    rejectsRun("metrics.m > '1'", "Expected numeric value type for metric. Found '1'");
    rejectsRun('metrics.m > "1"', 'Expected numeric value type for metric. Found "1"');
    rejectsRun('metrics.m > abc', 'Expected numeric value type for metric. Found abc');
    rejectsRun('metrics.m > 1e', 'Expected numeric value type for metric. Found 1e');
    rejectsRun('metrics.m > 0x10', 'Expected numeric value type for metric. Found 0x10');
    rejectsRun('metrics.m > NaN', 'Expected numeric value type for metric. Found NaN');
    rejectsRun('metrics.m > 1e999', 'Expected numeric value type for metric. Found 1e999');
    rejectsRun('metrics.m = NULL', 'Expected numeric value type for metric. Found NULL');
    rejectsRun("start_time > '1'", "Expected numeric value type for numeric attribute: start_time. Found '1'");
    rejectsRun("created > 'yesterday'", "Expected numeric value type for numeric attribute: created. Found 'yesterday'");
  });

  it('parses single- and double-quoted strings', () => {
    assert.equal(one("params.p = 'a b'").value, 'a b');
    assert.equal(one('params.p = "a b"').value, 'a b');
    assert.equal(one("params.p = ''").value, '');
    assert.equal(one("params.p = 'AND OR ( ) ~ \"'").value, 'AND OR ( ) ~ "');
    assert.equal(one(`params.p = "it's"`).value, "it's");
    assert.equal(one("params.p = 'ünï ☃'").value, 'ünï ☃');
  });

  it('handles escaped quotes the way sqlparse tokenises them', () => {
    // A doubled quote does not end the string; it stands for one quote.
    assert.equal(one("params.p = 'it''s'").value, "it's");
    assert.equal(one(`params.p = "say ""hi"""`).value, 'say "hi"');
    assert.equal(one("params.p = ''''").value, "'");
    // A backslash-escaped quote does not end the string either; it is kept verbatim, as MLflow does.
    assert.equal(one("params.p = 'a\\'b'").value, "a\\'b");
    // ...unless nothing later closes the string (sqlparse's regex backtracks).
    assert.equal(one("params.p = 'C:\\'").value, 'C:\\');
    assert.deepEqual(parseRunFilter("params.a = 'x''' AND params.b = 'y'"), [
      { type: 'param', key: 'a', comparator: '=', value: "x'" },
      { type: 'param', key: 'b', comparator: '=', value: 'y' },
    ]);
  });

  it('requires quoted strings for params, tags and string attributes', () => {
    rejectsRun(
      'params.p = abc',
      'Parameter value is either not quoted or unidentified quote types used for string value abc. Use either single or double quotes.',
    );
    rejectsRun('tags.t = `abc`', /^Parameter value is either not quoted/);
    rejectsRun('status = FINISHED', /^Parameter value is either not quoted/);
    rejectsRun('datasets.name = train', /^Parameter value is either not quoted/);
    rejectsRun('params.p = 1', "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1");
    rejectsRun('tags.t = 0.5', "Expected a quoted string value for tag (e.g. 'my-value'). Got value 0.5");
    rejectsRun('params.p = NULL', "Expected a quoted string value for parameter (e.g. 'my-value'). Got value NULL");
    rejectsRun('status = 1', 'Expected a quoted string value for attributes. Got value 1');
    rejectsRun('datasets.digest = 1', 'Expected a quoted string value for dataset attributes. Got value 1');
  });

  it('parses IN / NOT IN lists', () => {
    assert.deepEqual(one("attributes.run_id IN ('a','b')"), {
      type: 'attribute',
      key: 'run_id',
      comparator: 'IN',
      value: ['a', 'b'],
    });
    assert.deepEqual(one(`run_id NOT IN ( 'a' , "b" , 'c''d' )`), {
      type: 'attribute',
      key: 'run_id',
      comparator: 'NOT IN',
      value: ['a', 'b', "c'd"],
    });
    assert.deepEqual(one("run_id in ('a')").value, ['a']);
    assert.deepEqual(one("run_id not  in ('a',)").value, ['a']);
    assert.deepEqual(one("run_id IN('a')").value, ['a']);
    assert.deepEqual(one("datasets.name IN ('Train', 'eval')"), {
      type: 'dataset',
      key: 'name',
      comparator: 'IN',
      value: ['Train', 'eval'],
    });
    assert.deepEqual(one("datasets.context NOT IN ('training')").comparator, 'NOT IN');
    assert.deepEqual(one("datasets.digest IN ('abc')").value, ['abc']);
  });

  it('rejects bad lists', () => {
    rejectsRun(
      'run_id IN ()',
      'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
    );
    rejectsRun(
      'run_id IN (1, 2)',
      'While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1, 2)',
    );
    for (const bad of ["('a' 'b')", "(,'a')", "('a',,'b')", '(a, b)', "(('a'))", "('a' = 'b')"]) {
      rejectsRun(
        `run_id IN ${bad}`,
        'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.',
      );
    }
    rejectsRun(
      "status IN ('FINISHED')",
      "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
    );
    rejectsRun("run_name NOT IN ('x')", /^Only the 'run_id' attribute/);
    rejectsRun("params.p IN ('x')", "Expected a quoted string value for parameter (e.g. 'my-value'). Got value ('x')");
    rejectsRun("tags.t IN ('x')", /^Expected a quoted string value for tag/);
    rejectsRun('metrics.m IN (1)', 'Expected numeric value type for metric. Found (1)');
    rejectsRun('start_time IN (1)', /^Expected numeric value type for numeric attribute: start_time/);
    rejectsRun("run_id = ('a', 'b')", "Invalid comparator '=' for a list of values. Use 'IN' or 'NOT IN'.");
    // IN needs a parenthesised list.
    rejectsRun("run_id IN 'a'", "Invalid clause(s) in filter string: 'run_id', 'IN', ''a''");
  });
});

describe('parseRunFilter: comparators per entity (REFERENCE 2.1)', () => {
  it('metrics take = != < <= > >= only', () => {
    for (const c of ['=', '!=', '<', '<=', '>', '>=']) assert.equal(one(`metrics.m ${c} 1`).comparator, c);
    rejectsRun("metrics.m LIKE '1'", /^Expected numeric value type for metric/);
    rejectsRun('metrics.m IS NULL', "Invalid comparator 'IS NULL' not one of '{'=', '!=', '<', '<=', '>', '>='}'");
    rejectsRun('metrics.m IS NOT NULL', /^Invalid comparator 'IS NOT NULL'/);
  });

  it('params and tags take = != LIKE ILIKE IS NULL IS NOT NULL', () => {
    for (const entity of ['params', 'tags']) {
      for (const c of ['=', '!=', 'LIKE', 'ILIKE']) assert.equal(one(`${entity}.k ${c} 'v'`).comparator, c);
      assert.deepEqual(one(`${entity}.k IS NULL`).value, null);
      assert.equal(one(`${entity}.k IS NULL`).comparator, 'IS NULL');
      assert.equal(one(`${entity}.k IS NOT NULL`).comparator, 'IS NOT NULL');
      for (const c of ['<', '<=', '>', '>=']) {
        rejectsRun(
          `${entity}.k ${c} 'v'`,
          `Invalid comparator '${c}' not one of '{'=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'`,
        );
      }
    }
  });

  it('string attributes take = != LIKE ILIKE (IN / NOT IN with a run_id list)', () => {
    for (const key of ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri']) {
      for (const c of ['=', '!=', 'LIKE', 'ILIKE']) assert.equal(one(`attributes.${key} ${c} 'v'`).comparator, c);
      rejectsRun(`attributes.${key} > 'v'`, /^Invalid comparator '>' not one of '\{'=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'\}'$/);
      rejectsRun(`attributes.${key} IS NULL`, /^Invalid comparator 'IS NULL'/);
    }
  });

  it('numeric attributes take = != < <= > >=', () => {
    for (const key of ['start_time', 'end_time', 'created', 'Created']) {
      for (const c of ['=', '!=', '<', '<=', '>', '>=']) assert.equal(one(`attributes.${key} ${c} 5`).comparator, c);
      rejectsRun(`${key} LIKE 5`, /^Invalid comparator 'LIKE' not one of '\{'=', '!=', '<', '<=', '>', '>='\}'$/);
    }
  });

  it('datasets take = != LIKE ILIKE IN NOT IN', () => {
    for (const c of ['=', '!=', 'LIKE', 'ILIKE']) assert.equal(one(`datasets.name ${c} 'v'`).comparator, c);
    rejectsRun("datasets.name > 'v'", /^Invalid comparator '>'/);
    rejectsRun('datasets.name IS NULL', /^Invalid comparator 'IS NULL'/);
  });

  it('accepts comparator keywords in any case and returns them upper-case', () => {
    assert.equal(one("params.p like 'a%'").comparator, 'LIKE');
    assert.equal(one("params.p iLike 'a%'").comparator, 'ILIKE');
    assert.equal(one('tags.t is null').comparator, 'IS NULL');
    assert.equal(one('tags.t Is Not Null').comparator, 'IS NOT NULL');
    assert.equal(one('tags.t IS   NOT\tNULL').comparator, 'IS NOT NULL');
    assert.equal(one("run_id not in ('a')").comparator, 'NOT IN');
  });

  it('rejects ~ and other unknown comparators with 400', () => {
    rejectsRun('metrics.m ~ 1', "Invalid comparator '~' not one of '{'=', '!=', '<', '<=', '>', '>='}'");
    rejectsRun("params.p ~ 'x'", /^Invalid comparator '~'/);
    for (const c of ['==', '<>', '=~', '!~', '!', '=<', '>>']) rejectsRun(`metrics.m ${c} 1`, new RegExp(`^Invalid comparator '${c}'`));
    rejectsRun("params.p NOT LIKE 'x'", /^Invalid comparator 'NOT LIKE'/);
    rejectsRun("params.p RLIKE 'x'", /^Invalid comparator 'RLIKE'/);
    rejectsRun("params.p REGEXP 'x'", /^Invalid comparator 'REGEXP'/);
    rejectsRun("params.p + 'x'", /^Invalid clause\(s\) in filter string/);
  });
});

describe('parseRunFilter: invalid clauses', () => {
  it('rejects OR', () => {
    rejectsRun("metrics.a > 1 OR params.p = 'x'", "Invalid clause(s) in filter string: 'OR'");
    rejectsRun('metrics.a > 1 or metrics.b > 1', "Invalid clause(s) in filter string: 'or'");
  });

  it('rejects NOT and parentheses around clauses', () => {
    rejectsRun('NOT metrics.a > 1', "Invalid clause(s) in filter string: 'NOT'");
    rejectsRun('(metrics.a > 1)', "Invalid clause(s) in filter string: '(metrics.a > 1)'");
    rejectsRun(
      'metrics.a > 1 AND (metrics.b > 1 OR metrics.c > 1)',
      "Invalid clause(s) in filter string: '(metrics.b > 1 OR metrics.c > 1)'",
    );
  });

  it('lists every invalid piece', () => {
    rejectsRun('metrics.a > 1 OR metrics.b > 2 OR x', "Invalid clause(s) in filter string: 'OR', 'OR', 'x'");
    rejectsRun('metrics.a >', "Invalid clause(s) in filter string: 'metrics.a', '>'");
    rejectsRun('metrics.a', "Invalid clause(s) in filter string: 'metrics.a'");
    rejectsRun("= 'x'", "Invalid clause(s) in filter string: '=', ''x''");
  });

  it('rejects unterminated quotes and stray characters', () => {
    rejectsRun("params.p = 'abc", /^Invalid clause\(s\) in filter string:/);
    rejectsRun('params.p = "abc', /^Invalid clause\(s\) in filter string:/);
    rejectsRun("metrics.`abc = 'x'", /^Invalid clause\(s\) in filter string:/);
    rejectsRun("params.p = 'x' -- comment", /^Invalid clause\(s\) in filter string:/);
    rejectsRun("params.p = 'x' )", "Invalid clause(s) in filter string: ')'");
    rejectsRun("params.p = 'x' (", "Invalid clause(s) in filter string: '('");
    rejectsRun("params.p = 'x';", "Invalid clause(s) in filter string: ';'");
  });

  it('rejects multiple statements', () => {
    rejectsRun(
      'metrics.a > 1; metrics.b > 2',
      "Search filter contained multiple expression 'metrics.a > 1; metrics.b > 2'. Provide AND-ed expression list.",
    );
  });

  it('rejects a non-string filter', () => {
    rejects(() => parseRunFilter(42 as unknown as string), 'filter');
  });
});

describe('parseExperimentFilter (REFERENCE 2.2)', () => {
  it('parses name, times and tags', () => {
    assert.deepEqual(parseExperimentFilter("name LIKE 'exp%' AND tags.team = 'ml' AND creation_time > 1000"), [
      { type: 'attribute', key: 'name', comparator: 'LIKE', value: 'exp%' },
      { type: 'tag', key: 'team', comparator: '=', value: 'ml' },
      { type: 'attribute', key: 'creation_time', comparator: '>', value: 1000 },
    ]);
    assert.deepEqual(parseExperimentFilter('attribute.last_update_time <= 5'), [
      { type: 'attribute', key: 'last_update_time', comparator: '<=', value: 5 },
    ]);
    assert.deepEqual(parseExperimentFilter("attributes.name = 'x'"), [
      { type: 'attribute', key: 'name', comparator: '=', value: 'x' },
    ]);
    assert.deepEqual(parseExperimentFilter("tag.`a b` ILIKE '%x'"), [
      { type: 'tag', key: 'a b', comparator: 'ILIKE', value: '%x' },
    ]);
    assert.deepEqual(parseExperimentFilter(''), []);
    assert.deepEqual(parseExperimentFilter(undefined), []);
  });

  it('accepts name with = != LIKE ILIKE only', () => {
    for (const c of ['=', '!=', 'LIKE', 'ILIKE']) {
      assert.equal((parseExperimentFilter(`name ${c} 'x'`)[0] as FilterClause).comparator, c);
    }
    rejectsExp("name > 'x'", "Invalid comparator '>' not one of '{'=', '!=', 'LIKE', 'ILIKE'}'");
    rejectsExp("name IN ('x')", "Only the 'run_id' attribute supports comparison with a list of quoted string values.");
    rejectsExp('name IS NULL', /^Invalid comparator 'IS NULL'/);
    rejectsExp('name = 1', 'Expected a quoted string value for attributes. Got value 1');
  });

  it('accepts numeric comparators on creation_time / last_update_time', () => {
    for (const c of ['=', '!=', '<', '<=', '>', '>=']) {
      assert.equal((parseExperimentFilter(`creation_time ${c} 1`)[0] as FilterClause).comparator, c);
    }
    rejectsExp("creation_time = '1'", /^Expected numeric value type for numeric attribute: creation_time/);
    rejectsExp("last_update_time LIKE 1", /^Invalid comparator 'LIKE'/);
  });

  it('accepts tags with = != LIKE ILIKE IS NULL IS NOT NULL', () => {
    for (const c of ['=', '!=', 'LIKE', 'ILIKE']) {
      assert.equal((parseExperimentFilter(`tags.k ${c} 'v'`)[0] as FilterClause).comparator, c);
    }
    assert.deepEqual(parseExperimentFilter('tags.k IS NULL AND tags.j is not null'), [
      { type: 'tag', key: 'k', comparator: 'IS NULL', value: null },
      { type: 'tag', key: 'j', comparator: 'IS NOT NULL', value: null },
    ]);
    rejectsExp("tags.k > 'v'", /^Invalid comparator '>'/);
  });

  it('rejects other entities and keys', () => {
    rejectsExp('metrics.a > 1', "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')");
    rejectsExp("params.a = 'x'", /^Invalid entity type 'params'/);
    rejectsExp("experiment_id = '1'", /^Invalid attribute key 'experiment_id' specified/);
    rejectsExp("lifecycle_stage = 'active'", /^Invalid attribute key 'lifecycle_stage'/);
  });

  it('rejects OR (message without quotes, as in SearchExperimentsUtils)', () => {
    rejectsExp("name = 'a' OR name = 'b'", 'Invalid clause(s) in filter string: OR');
    rejectsExp("(name = 'a')", "Invalid clause(s) in filter string: (name = 'a')");
  });
});

describe('parseRunOrderBy', () => {
  it('parses identifiers with an optional direction', () => {
    assert.deepEqual(parseRunOrderBy('metrics.rmse'), { type: 'metric', key: 'rmse', ascending: true });
    assert.deepEqual(parseRunOrderBy('metrics.rmse DESC'), { type: 'metric', key: 'rmse', ascending: false });
    assert.deepEqual(parseRunOrderBy('metrics.rmse desc'), { type: 'metric', key: 'rmse', ascending: false });
    assert.deepEqual(parseRunOrderBy('params.lr ASC'), { type: 'param', key: 'lr', ascending: true });
    assert.deepEqual(parseRunOrderBy('tags.t Asc'), { type: 'tag', key: 't', ascending: true });
    assert.deepEqual(parseRunOrderBy('  start_time   DESC  '), { type: 'attribute', key: 'start_time', ascending: false });
  });

  it('accepts every orderable attribute and the created alias', () => {
    for (const key of ['start_time', 'end_time', 'run_name', 'run_id', 'status', 'user_id', 'artifact_uri']) {
      assert.deepEqual(parseRunOrderBy(`attributes.${key}`), { type: 'attribute', key, ascending: true });
      assert.deepEqual(parseRunOrderBy(key), { type: 'attribute', key, ascending: true });
    }
    assert.deepEqual(parseRunOrderBy('created DESC'), { type: 'attribute', key: 'start_time', ascending: false });
    assert.deepEqual(parseRunOrderBy('Created'), { type: 'attribute', key: 'start_time', ascending: true });
    assert.deepEqual(parseRunOrderBy('run.start_time'), { type: 'attribute', key: 'start_time', ascending: true });
  });

  it('accepts quoted keys', () => {
    assert.deepEqual(parseRunOrderBy('metrics.`f1 score` DESC'), { type: 'metric', key: 'f1 score', ascending: false });
    assert.deepEqual(parseRunOrderBy('metrics."f1 score"'), { type: 'metric', key: 'f1 score', ascending: true });
    assert.deepEqual(parseRunOrderBy('tags."mlflow.runName" ASC'), { type: 'tag', key: 'mlflow.runName', ascending: true });
    assert.deepEqual(parseRunOrderBy('tags.mlflow.runName'), { type: 'tag', key: 'mlflow.runName', ascending: true });
  });

  it('rejects bad clauses with field order_by', () => {
    const r = (s: string, m?: string | RegExp): void => rejects(() => parseRunOrderBy(s), 'order_by', m);
    r('metrics.a sideways', "Invalid ordering key in order_by clause 'metrics.a sideways'.");
    r('metrics.a DESC extra', "Invalid order_by clause 'metrics.a DESC extra'. Could not be parsed.");
    r('metrics.a, metrics.b', /Could not be parsed/);
    r('', /Could not be parsed/);
    r('   ', /Could not be parsed/);
    r("metrics.a = 1", /Could not be parsed/);
    r('metrics.`unclosed', /Could not be parsed/);
    r('metrics.', /Could not be parsed/);
    r('DESC', /Could not be parsed/);
    r('metrics.a 1', /Could not be parsed/);
    r('foo.a', /^Invalid entity type 'foo'/);
    r('Metrics.a', /^Invalid entity type 'Metrics'/);
    r('lifecycle_stage', /^Invalid attribute key 'lifecycle_stage' specified/);
    r('`Run name`', /^Invalid attribute key 'Run name'/);
    r('datasets.name', "Invalid order_by entity type 'dataset'");
    rejects(() => parseRunOrderBy(undefined as unknown as string), 'order_by');
  });
});

describe('parseExperimentOrderBy', () => {
  it('parses the four keys', () => {
    for (const key of ['name', 'experiment_id', 'creation_time', 'last_update_time']) {
      assert.deepEqual(parseExperimentOrderBy(key), { type: 'attribute', key, ascending: true });
      assert.deepEqual(parseExperimentOrderBy(`${key} DESC`), { type: 'attribute', key, ascending: false });
      assert.deepEqual(parseExperimentOrderBy(`attribute.${key} asc`), { type: 'attribute', key, ascending: true });
    }
  });

  it('rejects others', () => {
    const r = (s: string, m?: string | RegExp): void => rejects(() => parseExperimentOrderBy(s), 'order_by', m);
    r('tags.x', 'Invalid order_by entity: tag');
    r('metrics.x', /^Invalid entity type 'metrics'/);
    r('start_time', /^Invalid attribute key 'start_time' specified/);
    r('name up', "Invalid ordering key in order_by clause 'name up'.");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Robustness: random input must only ever produce clauses or a 400 AppError.
// ---------------------------------------------------------------------------------------------------------------


const PIECES = [
  'metrics', 'params', 'tags', 'attributes', 'datasets', 'run_id', 'status', 'start_time', 'created', 'name',
  'creation_time', '.', '.', 'a', 'b', '`', '`x y`', '"', '"k"', "'", "'v'", "''", '\\', '=', '!=', '<', '>=', '~',
  'LIKE', 'ilike', 'IN', 'NOT', 'IS', 'NULL', 'AND', 'and', 'OR', '(', ')', ',', ';', '1', '-2.5', '1e3', '.5',
  ' ', ' ', ' ', '\t', '\n', '-', '+', '%', '_', '#', '$', 'é', '☃', '\u0000', '\ud800', ' AND ',
];

function randomFilter(rand: () => number): string {
  const n = Math.floor(rand() * 14);
  let s = '';
  for (let i = 0; i < n; i += 1) {
    if (rand() < 0.1) s += String.fromCharCode(Math.floor(rand() * 0x3000));
    else s += PIECES[Math.floor(rand() * PIECES.length)];
  }
  return s;
}

function onlyAppErrors(fn: () => unknown, field: string, input: string): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, `non-AppError for ${JSON.stringify(input)}: ${String(err)}`);
    assert.equal(err.code, 'INVALID_PARAMETER_VALUE', JSON.stringify(input));
    assert.equal(err.field, field, JSON.stringify(input));
  }
}

describe('fuzz', () => {
  it('throws nothing but 400 AppErrors on random filters and order_by clauses', () => {
    const rand = prng(20240611);
    let accepted = 0;
    for (let i = 0; i < 4000; i += 1) {
      const input = randomFilter(rand);
      onlyAppErrors(() => parseRunFilter(input), 'filter', input);
      onlyAppErrors(() => parseExperimentFilter(input), 'filter', input);
      onlyAppErrors(() => parseRunOrderBy(input), 'order_by', input);
      onlyAppErrors(() => parseExperimentOrderBy(input), 'order_by', input);
      try {
        parseRunFilter(input);
        accepted += 1;
      } catch {
        // counted above
      }
    }
    assert.ok(accepted > 0, 'fuzz should hit some valid filters too');
  });

  it('mutations of valid filters throw nothing but 400 AppErrors', () => {
    const rand = prng(7);
    const seeds = [
      "metrics.`f1 score` >= 0.5 AND params.lr = '0.01' AND tags.\"mlflow.runName\" LIKE 'r%'",
      "attributes.run_id IN ('a', 'b') AND datasets.name NOT IN ('x') AND tags.t IS NOT NULL",
      "name ILIKE '%exp%' AND creation_time > 10 AND tags.team IS NULL",
    ];
    for (let i = 0; i < 3000; i += 1) {
      const base = seeds[i % seeds.length] as string;
      const chars = [...base];
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e += 1) {
        const pos = Math.floor(rand() * (chars.length + 1));
        const op = rand();
        if (op < 0.33) chars.splice(pos, 1);
        else if (op < 0.66) chars.splice(pos, 0, PIECES[Math.floor(rand() * PIECES.length)] as string);
        else chars[pos] = String.fromCharCode(32 + Math.floor(rand() * 95));
      }
      const input = chars.join('');
      onlyAppErrors(() => parseRunFilter(input), 'filter', input);
      onlyAppErrors(() => parseExperimentFilter(input), 'filter', input);
    }
  });

  it('handles pathological inputs quickly', () => {
    const inputs = [
      '('.repeat(50_000),
      ')'.repeat(50_000),
      "'" + "\\'".repeat(50_000),
      "'".repeat(50_001),
      '"' + '""'.repeat(50_000),
      '`'.repeat(50_001),
      'metrics.a > 1 AND '.repeat(5_000) + 'metrics.b > 2',
      'a.'.repeat(50_000),
      `run_id IN (${"'x',".repeat(20_000)}'y')`,
      '-'.repeat(50_000),
      '1'.repeat(50_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      onlyAppErrors(() => parseRunFilter(input), 'filter', input.slice(0, 40));
      onlyAppErrors(() => parseRunOrderBy(input), 'order_by', input.slice(0, 40));
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 2000, `too slow (${elapsed.toFixed(0)} ms) on ${input.slice(0, 20)}…`);
    }
    assert.equal(parseRunFilter('metrics.a > 1 AND '.repeat(5_000) + 'metrics.b > 2').length, 5001);
  });
});
