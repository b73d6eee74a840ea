namespace MiniKube.Scheduler.Framework;

/// <summary>The resources the scheduler accounts for (framework.Resource): cpu in millicores, memory in bytes.</summary>
public readonly record struct Resource(long MilliCpu, long Memory)
{
    public static Resource operator +(Resource left, Resource right) => new(left.MilliCpu + right.MilliCpu, left.Memory + right.Memory);

    public static Resource operator -(Resource left, Resource right) => new(left.MilliCpu - right.MilliCpu, left.Memory - right.Memory);

    public static Resource Max(Resource left, Resource right) => new(Math.Max(left.MilliCpu, right.MilliCpu), Math.Max(left.Memory, right.Memory));
}
