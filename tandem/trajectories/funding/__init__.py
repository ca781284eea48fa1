"""Which project funds a trajectory: the mediator changes it, within the funding rule
(``programmes.funding``, issue 17). The trajectory page shows the funding through the
programmes app's panel."""
