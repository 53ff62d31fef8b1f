"""Exchange between separate installations (issue 17): a district running its own Shigan reports
its month up to its county as a signed package (上报包), and the county hands tasks down the same
way (交办包). Commands: `shigan exchange id | peer add | peer list | export | import`.

Pairs. Each installation has an id (a UUID, `shigan exchange id`). An operator registers the
other installation of a pair as a peer (`peer add --name --installation --side upper|lower
--unit [--home] [--key]`): `--side` is the peer's level; `--unit` the peer's unit in this
database — at a county the district's 党委政府 unit, made below the county's if absent (the
county hands tasks down to it as to any district); at a district the county's unit, made if
absent and put above the district's own. The first side to register generates the pair's key
(32 random bytes, printed once, never written to the audit trail); the other side is given it
with `--key`.

Package. One file of two lines: the package in canonical JSON (keys sorted, no spaces, UTF-8),
then `HMAC-SHA256 <hex>` over that line's bytes with the pair's key (package.py). The package:
format "shigan-exchange", version 1, id (UUID), kind (report | handdown), from/to installation,
period (YYYY-MM), seq (per peer and direction, +1 at every export), created_at, body. Records
are named by the sender's primary keys; the receiver keeps the mapping (ExternalRef: peer,
kind, remote id → local id) and updates its mirror on the next package.

Report-up body (district → county): the district's tasks answering the county's hand-downs
(their campaign, category, lead unit, dates, state and upper task — the county's own id), their
milestones, every progress report of those tasks up to the period, the district's indicators
counting into a county indicator (汇入上级指标, the county's id) and every figure of the year up
to the period; and the county's hand-downs it returned (退回), with the reason. Imported at the
county: a returned hand-down still waiting there turns 已退回 with that reason; a task answering
a hand-down the county withdrew before the answer arrived is left out, with its milestones and
progress reports (the rest of the package is imported); units below the
district's unit (by name within the district, else created), a mirror campaign organised by the district's unit, mirror tasks with
Task.upper_task set to the county's task (so tasks.rollup and the upper-task pages work) and the
county's hand-down marked 已接收; milestones updated; progress reports append-only (only ones
not yet imported are added; a correction points at the mirror of the report it corrects);
figures: a month not yet accepted is added, one accepted with the same value is left alone, a
correction of the accepted figure is added as a correction (core.corrections) with the
district's reason, any other change of an accepted figure refuses the whole package, naming
indicator, month, the accepted and the new figure.

Hand-down body (county → district): the county's open hand-downs to the district (待接收,
已接收), each with its task (title, target, dates, state) and, when it comes from a directive
point, the directive (文号, title, issuer, date) and the point; the county's indicators; and
the hand-downs it withdrew (撤回), with reason and day. Imported at the district: a mirror of
the county's task (in a campaign of the county's unit, category 上级交办), of the directive and
point, and a HandDown 待接收 in the district's inbox; the district accepts it as any other and
its next report-up carries the answering task. A withdrawn hand-down still waiting there turns
已撤回 with the county's reason (one never received, or answered meanwhile, is left alone).

Import rules, in this order (services.import_package); every package offered is logged
(ImportLog: package id, sha256, peer, kind, period, seq, result, reason, time) and audited:
1. at most 20 MB, two lines, valid JSON, format and version 1 — else refused with the reason;
2. sender a registered peer, receiver this installation, kind the peer's (a lower peer sends
   上报包, an upper one 交办包);
3. the HMAC matches with the pair's key — else "签名不符" (any changed byte);
4. the same package already accepted → "已导入，未作改动", nothing changes;
5. seq not above the last accepted → refused as replayed (重放或过期的包);
6. period later than the month after the last accepted → refused naming the missing month
   (a peer's first package may be any month; a later month may be sent again, e.g. after a
   correction, with a new seq);
7. the body applied in one transaction: any problem refuses the whole package, nothing written.
Strings are kept as text whatever they hold (<script>, =SUM(): pages escape them); a string
longer than the form that writes its record allows (the model's max_length, a progress report's
PROGRESS_MAX_CHARS, a directive's and a hand-down's form limits; fields.py for the open ones),
an integer past its column or a figure past its digits refuses the whole package, naming the
record and the field in Chinese (进展报告“…”的内容超过3000字); echoed values are cut at 40
characters. The command's usage and file errors are in Chinese too.
"""
