"""Who may be funded by what (issue 17): the funding rule's check for the services that start
or fund a trajectory, place someone in group work or log an outreach contact under a project
(``services.funding_require``), the programme manager's recorded exceptions, and the project
page's counts by eligibility. The rule itself is ``programmes.rules.funding_refusal``."""
