"""An independent check of `csc-rules report`: a generated caseload (`caseload`) and a script
that counts it as the lead's counting specification says, without csc_rules (`count`)."""
