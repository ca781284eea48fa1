"""A group coach asks an experience expert to support a participant of their group (source 003,
answer to question 1: VDAB's experience experts support "op vraag van bemiddelaars of
instructeurs"). The request is the trajectories' ``ExpertSupportRequest``, on the participant's
trajectory and marked with the enrolment: the expert sees and answers it like a mediator's
request, the mediator sees it on the trajectory, and the coach sees the answer here."""
