"""AMU's own records. The amu_case workflow holds routing fields only (ids,
codes, dates); what the committee reads and decides lives here."""

from amu.models.bodies import CHAIR_TERM, Body, BodyKind, Function, Member, Side, Site  # noqa: F401,E501
from amu.models.cases import (  # noqa: F401
    CONSENT_DOCUMENTS,
    ActionStatus,
    AmuCase,
    CaseDocument,
    CaseKind,
    CaseNumber,
    CaseNumberCounter,
    ConsentAnswer,
    ConsentRecord,
    DocumentKind,
    FollowUpAction,
    InformationRequest,
    SubmitterRole,
)
from amu.models.meetings import (  # noqa: F401
    AgendaItem,
    AppealOutcome,
    ConflictDeclaration,
    DecisionMethod,
    EmployerAppeal,
    ExtraMeetingDemand,
    Meeting,
    MeetingStatus,
    Outcome,
    ReferralReason,
    Vote,
    VoteChoice,
)
