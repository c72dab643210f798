#!/usr/bin/env python3
# expect.py: runs socklab-check on one program and asserts its JSONL verdicts, for ctest.
"""usage: expect.py [options] CHECKER TASK -- COMMAND [ARGS...]

  --fail a,b       these checks must report ok=false (the run must exit 1), and no other
  --pass a,b       these checks must report ok=true
  --others-may-fail  with --fail: other checks may fail too (an unfinished skeleton)
  --pass-all       every check of the task must pass, none skipped (the run must exit 0)
  --unprivileged   run the checker as nobody (setpriv): it must say "capture":false
  --root           the run as root: it must say "capture":true (skipped, exit 77, if not root)
  --timeout S      the checker's --timeout (default 8)
  --compile SRC=EXE  first build SRC into EXE with $CC -Wall -Wextra -Werror -pthread
With --fail, checks named in neither list may pass or be skipped: the test prints them.
Exit 0 when every assertion holds, 1 when one does not, 2 on bad usage, 77 skipped."""
import json
import os
import subprocess
import sys
import time


def usage(msg):
    print('expect.py: ' + msg, file=sys.stderr)
    sys.exit(2)


def names(arg):
    return [n for n in arg.split(',') if n]


def main(argv):
    must_fail, must_pass, pass_all = [], [], False
    unpriv = root = others_may_fail = False
    timeout = 8
    compiles = []
    i = 0
    while i < len(argv) and argv[i].startswith('--') and argv[i] != '--':
        opt = argv[i]
        if opt in ('--fail', '--pass', '--timeout', '--compile'):
            if i + 1 >= len(argv):
                usage(opt + ' needs a value')
            val = argv[i + 1]
            i += 2
            if opt == '--fail':
                must_fail += names(val)
            elif opt == '--pass':
                must_pass += names(val)
            elif opt == '--timeout':
                timeout = int(val)
            else:
                if '=' not in val:
                    usage('--compile SRC=EXE')
                compiles.append(val.split('=', 1))
            continue
        if opt == '--pass-all':
            pass_all = True
        elif opt == '--unprivileged':
            unpriv = True
        elif opt == '--root':
            root = True
        elif opt == '--others-may-fail':
            others_may_fail = True
        else:
            usage('unknown option ' + opt)
        i += 1
    rest = argv[i:]
    if len(rest) < 4 or rest[2] != '--':
        usage('need CHECKER TASK -- COMMAND')
    checker, task, command = rest[0], rest[1], rest[3:]

    if root and os.geteuid() != 0:
        # CI runs as root: there a root variant that cannot run is a failure, not a skip.
        print('SKIP: not root, the root variant cannot run')
        return 1 if os.environ.get('CI') else 77
    for src, exe in compiles:
        cc = os.environ.get('CC', 'cc')
        cmd = [cc, '-Wall', '-Wextra', '-Werror', '-pthread', '-o', exe, src]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print('FAIL: does not compile: ' + ' '.join(cmd) + '\n' + r.stderr)
            return 1
        print('compiled: ' + ' '.join(cmd))

    run = [checker, task, '--format=jsonl', '--timeout', str(timeout), '--'] + command
    if unpriv:
        run = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] + run
    print('run: ' + ' '.join(run))
    t0 = time.monotonic()
    try:
        r = subprocess.run(run, capture_output=True, text=True, timeout=timeout + 10)
    except subprocess.TimeoutExpired:
        print('FAIL: the checker did not end within --timeout %d s + 10 s' % timeout)
        return 1
    took = time.monotonic() - t0
    print('exit %d after %.1f s' % (r.returncode, took))
    if r.stderr:
        print('stderr: ' + r.stderr.rstrip())

    checks, result, bad = {}, None, []
    for line in r.stdout.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            bad.append('not JSON: ' + line)
            continue
        if obj.get('type') == 'check':
            checks[obj['check']] = obj
            state = 'skip' if obj.get('skipped') else ('ok' if obj['ok'] else 'FAIL')
            print('  %-4s %-13s %s' % (state, obj['check'], obj.get('why', '')))
            if obj.get('hint'):
                print('       hint: ' + obj['hint'])
        elif obj.get('type') == 'result':
            result = obj
    if result is None:
        bad.append('no result line')
    else:
        print('result: ' + json.dumps(result))
        if result.get('task') != task:
            bad.append('result is for task %r' % result.get('task'))
        if unpriv and result.get('capture') is not False:
            bad.append('unprivileged run, but capture is not false')
        if root and result.get('capture') is not True:
            bad.append('root run, but capture is not true')

    for name in must_fail:
        c = checks.get(name)
        if c is None:
            bad.append('check %s missing' % name)
        elif c.get('ok') is not False:
            bad.append('check %s should fail, got ok=%s' % (name, c.get('ok')))
    if must_fail and not others_may_fail:
        for name, c in checks.items():
            if name not in must_fail and c.get('ok') is False:
                bad.append('check %s failed too: only %s may fail' % (name, ','.join(must_fail)))
    for name in must_pass:
        c = checks.get(name)
        if c is None:
            bad.append('check %s missing' % name)
        elif c.get('ok') is not True:
            bad.append('check %s should pass, got ok=%s' % (name, c.get('ok')))
    if pass_all:
        if not checks:
            bad.append('no checks reported')
        for name, c in checks.items():
            if c.get('ok') is not True:
                bad.append('check %s should pass, got ok=%s' % (name, c.get('ok')))
        if r.returncode != 0:
            bad.append('exit %d, expected 0' % r.returncode)
    if must_fail and r.returncode != 1:
        bad.append('exit %d, expected 1' % r.returncode)
    if took > timeout + 3:
        bad.append('took %.1f s, more than --timeout %d s' % (took, timeout))

    for b in bad:
        print('FAIL: ' + b)
    if bad:
        print('--- the checker\'s stdout ---\n' + r.stdout)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
