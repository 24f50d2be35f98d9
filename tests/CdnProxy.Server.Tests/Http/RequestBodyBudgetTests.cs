using CdnProxy.Core;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Tests.Http;

/// <summary>The bounds on request bodies held in memory: large bodies per partition, and bytes in all.</summary>
public sealed class RequestBodyBudgetTests
{
    private const long Large = 1024 * 1024;

    [Fact]
    public void APartitionHoldsAtMostItsLargeBodies_OthersAndSmallOnesStillPass_AndADisposedOneFreesItsPlace()
    {
        var budget = new RequestBodyBudget(0, Large, 2);
        using var first = budget.Enter("key:a", 2 * Large);
        var second = budget.Enter("key:a", Large + 1);

        var refused = Assert.Throws<CdnException>(() => budget.Enter("key:a", 2 * Large));
        Assert.Equal(CdnErrorKind.RateLimited, refused.Kind);
        Assert.Equal(2, budget.LargeBodies("key:a"));

        using var small = budget.Enter("key:a", Large);
        using var other = budget.Enter("key:b", 2 * Large);
        Assert.Equal((false, true), (small.IsLarge, other.IsLarge));

        second.Dispose();
        using var third = budget.Enter("key:a", 2 * Large);
        Assert.Equal(2, budget.LargeBodies("key:a"));
    }

    [Fact]
    public void BodiesPastTheTotal_AreOverloaded_AndTheRefusedOneHoldsNothing()
    {
        var budget = new RequestBodyBudget(10 * Large, Large, 0);
        var first = budget.Enter("key:a", 4 * Large);
        using var second = budget.Enter("key:b", 4 * Large);

        var refused = Assert.Throws<CdnException>(() => budget.Enter("key:c", 3 * Large));
        Assert.Equal(CdnErrorKind.Overloaded, refused.Kind);
        Assert.Equal(8 * Large, budget.Held);
        Assert.Equal(0, budget.LargeBodies("key:c"));

        first.Dispose();
        using var third = budget.Enter("key:c", 6 * Large);
        Assert.Equal(10 * Large, budget.Held);
    }

    [Fact]
    public void ABodyOfUnknownLength_IsChargedAsRead_BecomesLargePastTheThreshold_AndIsRefusedWhereItNoLongerFits()
    {
        var budget = new RequestBodyBudget(5 * Large, Large, 1);
        using var held = budget.Enter("key:a", 2 * Large);
        var growing = budget.Enter("key:a", 0);

        growing.Charge(Large / 2);
        growing.Charge(Large / 4); // less than already charged: nothing changes
        Assert.Equal((2 * Large + Large / 2, false), (budget.Held, growing.IsLarge));

        // Past the threshold it would be key:a's second large body.
        var perKey = Assert.Throws<CdnException>(() => growing.Charge(Large + 1));
        Assert.Equal((CdnErrorKind.RateLimited, true), (perKey.Kind, growing.Refused));
        Assert.Equal(2 * Large + Large / 2, budget.Held);

        var other = budget.Enter("key:b", 0);
        other.Charge(2 * Large);
        var total = Assert.Throws<CdnException>(() => other.Charge(3 * Large));
        Assert.Equal(CdnErrorKind.Overloaded, total.Kind);

        growing.Dispose();
        other.Dispose();
        Assert.Equal((2 * Large, 0), (budget.Held, budget.LargeBodies("key:b")));
    }

    [Fact]
    public void DisposingTwice_ReleasesOnce()
    {
        var budget = new RequestBodyBudget(10 * Large, Large, 1);
        using var kept = budget.Enter("key:a", 3 * Large);
        var lease = budget.Enter("key:b", 2 * Large);
        lease.Dispose();
        lease.Dispose();
        Assert.Equal((3 * Large, 1, 0), (budget.Held, budget.LargeBodies("key:a"), budget.LargeBodies("key:b")));
        Assert.Throws<ObjectDisposedException>(() => lease.Charge(3 * Large));
    }

    [Fact]
    public void ZeroBounds_RefuseNothing()
    {
        var budget = new RequestBodyBudget(0, Large, 0);
        var leases = Enumerable.Range(0, 20).Select(_ => budget.Enter("key:a", 100 * Large)).ToList();
        Assert.Equal(2000 * Large, budget.Held);
        leases.ForEach(l => l.Dispose());
        Assert.Equal(0, budget.Held);
    }
}
