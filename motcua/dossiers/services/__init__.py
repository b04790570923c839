"""Every write to a dossier: one function per action of API.md (STYLE §2).

Each service takes keyword-only arguments, an ``actor`` (None only for the citizen's own online
submission), an injectable ``now``; it runs in one transaction, locks the dossier row first,
checks the actor's role IN THE UNIT concerned, refuses illegal states with a named DomainError
(`motcua.dossiers.errors`) and writes exactly one Event.

Who may do what, and the refusal when not, is `motcua.dossiers.policy`: every service asks it
(`common.ensure`) under the dossier's row lock, so the office buttons, the API's
`allowed_actions` and the services never disagree.

A package by action family: `intake` (reception, online submission, acceptance), `workflow`
(assign, complete, return a step), `supplements`, `apologies`, `closing` (refuse, return the
result, stop), `recompute` (after a calendar change); `common` holds what they share.

Decisions (DOMAIN §17 leaves them to us; the tests name each one):
* Status `received` lasts until the first step is completed; then `in_progress`.
* The trailing steps of 0 hours ("Trả kết quả") are the return itself (`rules.counted_steps`):
  completing the last counted step makes the dossier `ready` (outcome approved, timeliness
  judged) and opens the return step; `return_to_applicant` closes it.
* D8 PAUSE_CLOCK: from the request to the supplement the dossier and its current step stop
  counting; on resume `due_at`, `original_due_at`, `green_lane_due_at` and the step's due each
  move by exactly the paused WORKING time (a due already passed when the pause began does not
  move: the clock never lends time). `original_due_at` moves with pauses — a pause for the
  citizen is not the agency's delay — but never with an apology extension, so D7 statistics
  judge the agency against the statute plus the citizen's time. RESTART_ON_RESUBMIT: the clock
  restarts at the supplement (a new effective reception); CONTINUE: nothing moves.
* D9: the first signed apology carrying `new_due_at` moves `due_at` (the citizen's appointment)
  once; `original_due_at` stays. The gate applies to completing and returning an overdue step
  and is opened by an apology for that step signed after the step (re)started.
* A backdated paper reception keeps its real time (and the code of its real date); its reason is
  required and it can never lie in the future.
* An online submission gets its code at submission; the clock starts when the desk accepts it,
  at the effective reception (D5) of the acceptance.
"""

from motcua.dossiers.services.apologies import (
    draft_apology,
    request_apology_signature,
    sign_apology,
)
from motcua.dossiers.services.closing import refuse_dossier, return_to_applicant, stop_dossier
from motcua.dossiers.services.common import lookup_secret_of
from motcua.dossiers.services.intake import (
    ApplicantData,
    Created,
    DocumentData,
    accept_dossier,
    acceptance_refusal,
    created_again,
    receive_dossier,
    register_acceptance_check,
    submit_online,
)
from motcua.dossiers.services.notes import note_feedback, note_rating
from motcua.dossiers.services.recompute import recompute_deadlines
from motcua.dossiers.services.supplements import (
    receive_supplement,
    request_supplement,
    submit_supplement_online,
)
from motcua.dossiers.services.workflow import (
    assign_step,
    complete_step,
    register_step_completion,
    return_step,
)

__all__ = [
    "ApplicantData",
    "Created",
    "DocumentData",
    "accept_dossier",
    "acceptance_refusal",
    "assign_step",
    "complete_step",
    "created_again",
    "draft_apology",
    "lookup_secret_of",
    "note_feedback",
    "note_rating",
    "receive_dossier",
    "receive_supplement",
    "recompute_deadlines",
    "register_acceptance_check",
    "register_step_completion",
    "request_apology_signature",
    "refuse_dossier",
    "request_supplement",
    "return_step",
    "return_to_applicant",
    "sign_apology",
    "stop_dossier",
    "submit_online",
    "submit_supplement_online",
]
