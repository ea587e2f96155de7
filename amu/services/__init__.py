"""AMU's services: every write to the amu models and every step the AMU
pages take in a case (through cases.services)."""
