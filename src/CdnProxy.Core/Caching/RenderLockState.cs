namespace CdnProxy.Core.Caching;

/// <summary>What a waiter finds in place of a render lock.</summary>
public enum RenderLockState
{
    /// <summary>Nobody holds it: take it and render.</summary>
    Free,

    /// <summary>Another replica renders: wait for its rendition.</summary>
    Held,

    /// <summary>The last render was too large for the shared tier: nothing will appear there, render at once.</summary>
    NotShared,
}
