#!/usr/bin/env python3
"""Splits the shared real datasets into the reference / current files docs/drift.md compares.

python3 scripts/drift/make_examples.py [OUT_DIR]   (default /tmp/pitwall-drift; standard library only)

Writes:
  bike-2011-01.csv, bike-2011-02.csv   bike sharing days, January vs February 2011
  bike-2011.csv, bike-2012.csv         bike sharing days, 2011 vs 2012
  bike-hours-2011.csv, bike-hours-2012.csv  the same years by the hour (over 1,000 rows: distances, not p-values)
  weather-2012.csv, weather-2015.csv   Seattle weather, 2012 vs 2015 (the `weather` label drifts)
  sms-ham.jsonl, sms-mixed.jsonl       SMS texts: 1,500 ham messages vs 1,000 other ham and 500 spam
"""

import csv
import json
import os
import sys

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))), 'shared', 'data')


def split_csv(src, column, parts, out):
    with open(os.path.join(DATA, src), newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    at = header.index(column)
    for prefix, name in parts:
        with open(os.path.join(out, name), 'w', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(header)
            w.writerows(r for r in body if r[at].startswith(prefix))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/pitwall-drift'
    os.makedirs(out, exist_ok=True)
    split_csv('bike-sharing/day.csv', 'dteday', [('2011-01', 'bike-2011-01.csv'), ('2011-02', 'bike-2011-02.csv'), ('2011', 'bike-2011.csv'), ('2012', 'bike-2012.csv')], out)
    split_csv('bike-sharing/hour.csv', 'dteday', [('2011', 'bike-hours-2011.csv'), ('2012', 'bike-hours-2012.csv')], out)
    split_csv('seattle-weather/seattle-weather.csv', 'date', [('2012', 'weather-2012.csv'), ('2015', 'weather-2015.csv')], out)
    with open(os.path.join(DATA, 'sms-spam-collection', 'SMSSpamCollection'), encoding='utf-8') as f:
        messages = [line.rstrip('\n').split('\t', 1) for line in f if '\t' in line]
    ham = [t for label, t in messages if label == 'ham']
    spam = [t for label, t in messages if label == 'spam']
    with open(os.path.join(out, 'sms-ham.jsonl'), 'w') as f:
        f.writelines(json.dumps({'text': t}) + '\n' for t in ham[:1500])
    with open(os.path.join(out, 'sms-mixed.jsonl'), 'w') as f:
        f.writelines(json.dumps({'text': t}) + '\n' for t in ham[1500:2500] + spam[:500])
    print(f'wrote the example files to {out}')


if __name__ == '__main__':
    main()
