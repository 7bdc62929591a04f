"""Names of simulated data sets: parameters in, the same parameters out."""

import pytest

from zerolag.simulation.datanames import SimulatedData


def test_name_round_trip_and_shared_simulation():
    data = SimulatedData(200000, 0.1, noise_std=0.5, observed=0.8)
    assert data.name == "ou_T200000_tau0.1_sig0.5_obs0.8"
    assert SimulatedData.from_name(data.name) == data
    assert data.simulation == SimulatedData(200000, 0.1).simulation == "ou_T200000_tau0.1"


def test_a_prefix_is_named_by_its_length_and_shares_the_simulation():
    first = SimulatedData(300000, 0.1, length=1000)
    assert first.name == "ou_T300000_tau0.1_first1000_sig0_obs1"
    assert first.simulation == "ou_T300000_tau0.1" and first.seconds == 1000
    assert SimulatedData.from_name(first.name) == first
    # the whole run has one spelling, whether its length is given or not
    assert SimulatedData(300000, 0.1, length=300000) == SimulatedData(300000, 0.1)
    assert SimulatedData(300000, 0.1, length=300000).name == "ou_T300000_tau0.1_sig0_obs1"


def test_patterns_match_every_name():
    import re

    from zerolag.simulation.datanames import PATTERN, SIMULATION_PATTERN
    from zerolag.simulation.networks import NAME_PATTERN, NetworkSpec

    for data in (SimulatedData(2e5, 0.1), SimulatedData(3e5, 3.0, 0.5, 0.2, length=1000)):
        assert re.fullmatch(PATTERN, data.name) and re.fullmatch(SIMULATION_PATTERN, data.simulation)
    assert not re.fullmatch(SIMULATION_PATTERN, SimulatedData(2e5, 0.1).name)
    for spec in (NetworkSpec(100, 0.1, 0.7), NetworkSpec(20, 0.05, 0.3, 0.2, background_fraction=0.3)):
        assert re.fullmatch(NAME_PATTERN, spec.name)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"duration": 0, "tau": 0.1}, "duration"),
        ({"duration": 10, "tau": -1}, "tau"),
        ({"duration": 10, "tau": 0.1, "noise_std": -0.5}, "noise_std"),
        ({"duration": 10, "tau": 0.1, "observed": 1.5}, "observed"),
        ({"duration": 10, "tau": 0.1, "observed": 0}, "observed"),
        ({"duration": 10, "tau": 0.1, "length": 20}, "length"),
        ({"duration": 10, "tau": 0.1, "length": 0}, "length"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SimulatedData(**kwargs)


def test_not_a_name():
    with pytest.raises(ValueError, match="not a simulated-data name"):
        SimulatedData.from_name("noisefree")
