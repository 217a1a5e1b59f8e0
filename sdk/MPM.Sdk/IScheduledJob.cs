namespace MPM.Sdk;

/// <summary>A job the host runs on the schedule given to <see cref="IPluginBuilder.AddJob{TJob}"/>.</summary>
public interface IScheduledJob
{
    Task RunAsync(CancellationToken cancellationToken);
}
