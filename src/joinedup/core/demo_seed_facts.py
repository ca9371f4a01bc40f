"""Organisations and boards named in the source reports (shared/seeds), with facts stated there only.

Seed files:

* 000 - CoPaCC "PCCs and Partnership" (May 2015), Appendix B: stakeholder submissions (B.1-B.9).
* 001 - the same Thematic, Appendix A: OPCC case studies (A.1-A.9).
* 002 - report to the Thames Valley Police & Crime Panel on Community Safety Partnerships (17 June 2016).
* 003 - Leicestershire Police Authority "Deep Dive" consultation on partnership (2011).
* 004 - the main CoPaCC "PCCs and Partnership" Thematic report (May 2015).

Nothing here is invented: descriptions paraphrase the seeds; charity numbers are never given in the
seeds, so none are recorded; websites appear only where the seeds print the address.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedOrganisation:
    name: str  # as the reports name it
    sector: str  # one of the Sector keys in joinedup.core.models.organisations
    source: str  # file number and section, e.g. "seeds 001 A.3"
    description: str = ""  # paraphrase of what the seeds say (no invented facts)
    responsible_authority: str = ""  # CSP responsible authority type, when it is one
    charity_number: str = ""  # only if stated in seeds
    website: str = ""  # only if stated in seeds
    compact_signatory: bool = False  # only True if seeds say it signed a Compact
    pfa_name: str = ""  # police force area it belongs to / serves, if clear
    members: tuple[str, ...] = ()  # for boards/partnerships: member organisations as stated


SEED_ORGANISATIONS: tuple[SeedOrganisation, ...] = (
    # --- police forces
    SeedOrganisation(
        name="Avon and Somerset Constabulary",
        sector="police_force",
        source="seeds 001 A.1",
        description=(
            "Force praised by HMIC's 2014 PEEL assessment for the strength of its partnership "
            "arrangements; lead force for the Zephyr organised crime and Special Branch collaborations and "
            "host of the Tri Force firearms training facility."
        ),
        responsible_authority="police",
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="Gwent Police",
        sector="police_force",
        source="seeds 001 A.3",
        description="Force for Gwent; represented on the Gwent PCC's Strategic Commissioning Board.",
        responsible_authority="police",
        pfa_name="Gwent",
    ),
    SeedOrganisation(
        name="Humberside Police",
        sector="police_force",
        source="seeds 001 A.4, A.5",
        description=(
            "Force created in 1974; shares a new vehicle maintenance site with the fire service and is the "
            "Yorkshire and the Humber lead force for underwater search."
        ),
        responsible_authority="police",
        pfa_name="Humberside",
    ),
    SeedOrganisation(
        name="North Yorkshire Police",
        sector="police_force",
        source="seeds 001 A.5",
        description=(
            "Force (NYP) with a four-point collaboration plan: strategic work with Cleveland and Durham, "
            "regional work in Yorkshire and the Humber, and local and operational partnerships."
        ),
        responsible_authority="police",
        pfa_name="North Yorkshire",
    ),
    SeedOrganisation(
        name="Cleveland Police",
        sector="police_force",
        source="seeds 001 A.5",
        description=(
            "Neighbouring force whose planned Community Safety Hub on the North Yorkshire/Cleveland border "
            "will also house some North Yorkshire Police accommodation; it has outsourced back-office "
            "services."
        ),
        responsible_authority="police",
        pfa_name="Cleveland",
    ),
    SeedOrganisation(
        name="Durham Police",
        sector="police_force",
        source="seeds 001 A.5",
        description=(
            "Named with Cleveland as a partner for North Yorkshire Police's strategic collaboration on "
            "operational policing."
        ),
        responsible_authority="police",
        pfa_name="Durham",
    ),
    SeedOrganisation(
        name="Warwickshire Police",
        sector="police_force",
        source="seeds 001 A.9",
        description=(
            "Force in a strategic alliance with West Mercia Police, keeping its own PCC, Chief Constable "
            "and Deputy Chief Constable; rated 'good' in the 2014 HMIC PEEL reports."
        ),
        responsible_authority="police",
        pfa_name="Warwickshire",
    ),
    SeedOrganisation(
        name="West Mercia Police",
        sector="police_force",
        source="seeds 001 A.9; 000 B.8",
        description=(
            "Force in the strategic alliance with Warwickshire Police; its Chief Constable takes part in "
            "Worcestershire's Shenstone Group."
        ),
        responsible_authority="police",
        pfa_name="West Mercia",
    ),
    SeedOrganisation(
        name="Thames Valley Police",
        sector="police_force",
        source="seeds 002 paras 13, 16-24",
        description=(
            "Force that commissioned the Police Foundation to inform its neighbourhood policing review and "
            "received a 'Good' HMIC PEEL effectiveness rating; receives Community Safety Fund money from "
            "the PCC."
        ),
        responsible_authority="police",
        website="http://www.thamesvalley.police.uk",
        pfa_name="Thames Valley",
    ),
    SeedOrganisation(
        name="Kent Police",
        sector="police_force",
        source="seeds 000 B.7",
        description=(
            "Its local community policing unit sits in Sevenoaks District Council's offices as part of the "
            "district Community Safety Unit."
        ),
        responsible_authority="police",
        pfa_name="Kent",
    ),
    # --- offices of police and crime commissioners
    SeedOrganisation(
        name="Avon and Somerset OPCC",
        sector="opcc",
        source="seeds 001 A.1",
        description=(
            "Works across 10 local authorities, five Health and Wellbeing Boards and five CSPs; runs an "
            "annual partnership Police and Crime Needs Assessment and has a VCSE officer and VCSE Charter."
        ),
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="Devon and Cornwall OPCC",
        sector="opcc",
        source="seeds 001 A.2",
        description=(
            "Sits on all five Health and Wellbeing Boards across the peninsula and funds CSPs, Youth "
            "Offending Teams and SARCs; built new victim care arrangements with over 40 third sector "
            "partners."
        ),
        pfa_name="Devon and Cornwall",
    ),
    SeedOrganisation(
        name="Gwent OPCC",
        sector="opcc",
        source="seeds 001 A.3",
        description=(
            "Set up a Strategic Commissioning Board, the Partnership Fund and Safer Gwent, and funds the "
            "Gwent Drugs Interventions Programme."
        ),
        pfa_name="Gwent",
    ),
    SeedOrganisation(
        name="Humberside OPCC",
        sector="opcc",
        source="seeds 001 A.4",
        description=(
            "Pushed police and fire to share a vehicle maintenance site and negotiates police contact "
            "points in council and community buildings."
        ),
        pfa_name="Humberside",
    ),
    SeedOrganisation(
        name="North Yorkshire OPCC",
        sector="opcc",
        source="seeds 001 A.5",
        description=(
            "Leads a structured four-point collaboration plan covering strategic, regional, local and "
            "operational partnerships, including the York River Safety Programme."
        ),
        pfa_name="North Yorkshire",
    ),
    SeedOrganisation(
        name="South Wales OPCC",
        sector="opcc",
        source="seeds 001 A.6; 000 B.6",
        description=(
            "Set up an Academic Board with universities, appointed a Partnership Analyst and promotes a "
            "'dare to share' data approach; extending youth offending team principles to 18-25 year olds."
        ),
        pfa_name="South Wales",
    ),
    SeedOrganisation(
        name="Surrey OPCC",
        sector="opcc",
        source="seeds 001 A.7; 002 para 15",
        description=(
            "Co-ordinated the Surrey, Sussex and Thames Valley victims' referral consortium and sits on a "
            "countywide domestic abuse commissioning group."
        ),
        website="http://www.surrey-pcc.gov.uk",
        pfa_name="Surrey",
    ),
    SeedOrganisation(
        name="Sussex OPCC",
        sector="opcc",
        source="seeds 001 A.7; 002 para 15",
        description=(
            "Founding member, with Surrey and Thames Valley, of the victims' referral framework consortium."
        ),
        website="http://www.sussex-pcc.gov.uk",
        pfa_name="Sussex",
    ),
    SeedOrganisation(
        name="Thames Valley OPCC",
        sector="opcc",
        source="seeds 001 A.7; 002 paras 7, 13-14",
        description=(
            "Founding member of the victims' referral consortium; attends most CSP meetings, hosts Thames "
            "Valley-wide events for CSP managers and passes its whole community safety budget to local "
            "authorities."
        ),
        website="https://www.thamesvalley-pcc.gov.uk",
        pfa_name="Thames Valley",
    ),
    SeedOrganisation(
        name="Warwickshire OPCC",
        sector="opcc",
        source="seeds 001 A.8",
        description=(
            "Combined the Police and Crime Plan with the county Community Safety Agreement in one document "
            "and chairs the Community Safety Officers' Group."
        ),
        pfa_name="Warwickshire",
    ),
    SeedOrganisation(
        name="West Mercia OPCC",
        sector="opcc",
        source="seeds 001 A.9",
        description=(
            "Shares communications, financial management and commissioning work with the Warwickshire OPCC "
            "under the strategic alliance, while each Commissioner stays independent."
        ),
        pfa_name="West Mercia",
    ),
    SeedOrganisation(
        name="West Yorkshire OPCC",
        sector="opcc",
        source="seeds 000 B.9; 002 paras 12, 14",
        description=(
            "Based in Wakefield; the PCC signed the refreshed Compact for Leeds, funds a Third Sector "
            "Advisory Group, hosts a Third Sector Adviser from Voluntary Action Leeds and chairs a "
            "force-wide CSP Forum."
        ),
        website="http://www.westyorkshire-pcc.gov.uk",
        compact_signatory=True,
        pfa_name="West Yorkshire",
    ),
    # --- local authorities
    SeedOrganisation(
        name="Sevenoaks District Council",
        sector="la_district",
        source="seeds 000 B.7",
        description=(
            "Hosts the local community policing unit in its offices as a joint Community Safety Unit with "
            "daily multi-agency ASB tasking, and runs PACT panels and Environmental Visual Audits."
        ),
        responsible_authority="local_authority",
        pfa_name="Kent",
    ),
    SeedOrganisation(
        name="Kent County Council",
        sector="la_county",
        source="seeds 000 B.7",
        description=(
            "Its community wardens (named as 'KCC Community Wardens') join Sevenoaks CSU daily tasking."
        ),
        responsible_authority="local_authority",
        pfa_name="Kent",
    ),
    SeedOrganisation(
        name="Somerset County Council",
        sector="la_county",
        source="seeds 001 A.1",
        description=(
            "Partner in the Southwest One joint venture; co-hosted the PCC's Somerset flood response meeting."
        ),
        responsible_authority="local_authority",
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="Taunton Deane Borough Council",
        sector="la_district",
        source="seeds 001 A.1",
        description="Partner in the Southwest One public-private joint venture.",
        responsible_authority="local_authority",
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="North Somerset Council",
        sector="la_unitary",
        source="seeds 001 A.1",
        description=(
            "Partner in a Home Office innovation fund project for a joined-up online experience for "
            "residents, building on the joint customer enquiry service at the Weston gateway."
        ),
        responsible_authority="local_authority",
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="Bristol City Council",
        sector="la_unitary",
        source="seeds 001 A.1",
        description=(
            "One of the agencies behind the 'This Is Not An Excuse' campaign on rape and sexual assault."
        ),
        responsible_authority="local_authority",
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="North Lincolnshire Council",
        sector="la_unitary",
        source="seeds 001 A.4",
        description=(
            "Agreed a permanent police contact point at the Crowle Community Hub and funds five PCSOs "
            "across its area."
        ),
        responsible_authority="local_authority",
        pfa_name="Humberside",
    ),
    SeedOrganisation(
        name="Scarborough Borough Council",
        sector="la_district",
        source="seeds 001 A.5",
        description=(
            "In early talks with North Yorkshire Police on sharing back-office support; police co-locate "
            "with the council in Filey."
        ),
        responsible_authority="local_authority",
        pfa_name="North Yorkshire",
    ),
    SeedOrganisation(
        name="City of York Council",
        sector="la_unitary",
        source="seeds 001 A.5; 004 s.2",
        description=(
            "Police teams are based at its HQ; named as a partner in York river safety work and, in the "
            "plan summary, in Together York."
        ),
        responsible_authority="local_authority",
        pfa_name="North Yorkshire",
    ),
    SeedOrganisation(
        name="Warwickshire County Council",
        sector="la_county",
        source="seeds 001 A.8",
        description=(
            "Its Corporate Community Safety Manager co-wrote the aligned Police and Crime Plan and "
            "Community Safety Agreement with the OPCC."
        ),
        responsible_authority="local_authority",
        pfa_name="Warwickshire",
    ),
    SeedOrganisation(
        name="Surrey County Council",
        sector="la_county",
        source="seeds 001 A.7",
        description=(
            "Invested an extra £200,000 in services for young victims of domestic abuse after OPCC "
            "research, and wrote a joint specification with the OPCC."
        ),
        responsible_authority="local_authority",
        pfa_name="Surrey",
    ),
    # --- fire and rescue
    SeedOrganisation(
        name="Greater Manchester Fire and Rescue Service",
        sector="fire_rescue",
        source="seeds 000 B.4",
        description=(
            "Visits 60,000 homes a year for home safety work, shares fire stations with police and council "
            "teams in Tameside and Salford, and is setting up ten Community Risk Intervention Teams."
        ),
        responsible_authority="fire_rescue",
        pfa_name="Greater Manchester",
    ),
    SeedOrganisation(
        name="South Wales Fire & Rescue Service",
        sector="fire_rescue",
        source="seeds 001 A.3",
        description=(
            "Sits on the Gwent Strategic Commissioning Board; received £12,000 from the Gwent Partnership "
            "Fund to roll out project Bernie on deliberate grass fires across Gwent."
        ),
        responsible_authority="fire_rescue",
        pfa_name="Gwent",
    ),
    SeedOrganisation(
        name="Humberside Fire and Rescue",
        sector="fire_rescue",
        source="seeds 001 A.4",
        description=(
            "Also called Humberside Fire Service; created in 1974, it shares the new vehicle maintenance "
            "site with Humberside Police and works with them on Community Safety Volunteers and driver "
            "training."
        ),
        responsible_authority="fire_rescue",
        pfa_name="Humberside",
    ),
    SeedOrganisation(
        name="North Yorkshire Fire and Rescue Service",
        sector="fire_rescue",
        source="seeds 001 A.5",
        description=(
            "Shares premises with North Yorkshire Police at Bedale and, under an approved scheme, at "
            "Boroughbridge; its Community Safety Officers form part of the joint Safety Service."
        ),
        responsible_authority="fire_rescue",
        pfa_name="North Yorkshire",
    ),
    SeedOrganisation(
        name="Devon and Somerset Fire and Rescue Service",
        sector="fire_rescue",
        source="seeds 001 A.1",
        description="Presented at the PCC-hosted Somerset flood response meeting.",
        responsible_authority="fire_rescue",
        pfa_name="Avon and Somerset",
    ),
    # --- probation
    SeedOrganisation(
        name="Wales Probation Trust",
        sector="probation",
        source="seeds 001 A.3",
        description="Represented on the Gwent PCC's Strategic Commissioning Board.",
        responsible_authority="probation",
        pfa_name="Gwent",
    ),
    # --- health
    SeedOrganisation(
        name="Aneurin Bevan Health Board",
        sector="health_icb",
        source="seeds 001 A.3",
        description="Health board represented on the Gwent PCC's Strategic Commissioning Board.",
        responsible_authority="health",
        pfa_name="Gwent",
    ),
    SeedOrganisation(
        name="Vale of York Clinical Commissioning Group",
        sector="health_icb",
        source="seeds 001 A.5",
        description="Partner (VoY CCG) in the Together York mental health pilot.",
        responsible_authority="health",
        pfa_name="North Yorkshire",
    ),
    SeedOrganisation(
        name="Leeds and York Partnership NHS Foundation Trust",
        sector="health_nhs_trust",
        source="seeds 001 A.5",
        description=(
            "Partner in the Together York pilot supporting the most mentally vulnerable service users."
        ),
        pfa_name="North Yorkshire",
    ),
    # --- national bodies
    SeedOrganisation(
        name="NHS England",
        sector="national_body",
        source="seeds 001 A.1",
        description=(
            "Co-funds the Avon and Somerset Sexual Assault Referral Centre ('The Bridge') with the PCC."
        ),
    ),
    # --- voluntary and community sector
    SeedOrganisation(
        name="Barnardo's",
        sector="vcs_charity",
        source="seeds 000 B.1; 004 s.2",
        description=(
            "Largest UK provider of child sexual exploitation support services, working in the field since "
            "1994 in over 40 locations and supporting around 2,000 children a year; works closely with "
            "police."
        ),
    ),
    SeedOrganisation(
        name="Voluntary Action Leeds",
        sector="vcs_charity",
        source="seeds 000 B.9; 004 s.3",
        description=(
            "Voluntary sector support body that set up the Safer Future Communities network and seconded "
            "its Deputy Chief Officer to the West Yorkshire OPCC as Third Sector Adviser."
        ),
        pfa_name="West Yorkshire",
    ),
    SeedOrganisation(
        name="Revolving Doors Agency",
        sector="vcs_charity",
        source="seeds 000 B.6",
        description=(
            "Runs the First Generation Project with the Transition to Adulthood Alliance on PCCs' wider "
            "partnership role for people with multiple and complex needs."
        ),
    ),
    SeedOrganisation(
        name="Collaborate",
        sector="vcs_social_enterprise",
        source="seeds 000 B.2",
        description=(
            "A social business working to improve cross-sector collaboration in public services and society."
        ),
        website="https://www.collaborate.com",
    ),
    SeedOrganisation(
        name="Victim Support",
        sector="vcs_charity",
        source="seeds 001 A.1; 000 B.9",
        description=(
            "Support provider co-located in Avon and Somerset's Lighthouse victim and witness service and "
            "a partner in the 'This Is Not An Excuse' campaign."
        ),
    ),
    SeedOrganisation(
        name="Crimestoppers",
        sector="vcs_charity",
        source="seeds 001 A.4",
        description=(
            "National charity that ran a child sexual exploitation awareness campaign with the Humberside "
            "PCC."
        ),
        pfa_name="Humberside",
    ),
    SeedOrganisation(
        name="Together: for Mental Wellbeing",
        sector="vcs_charity",
        source="seeds 001 A.5",
        description="Charity partner in the Together York mental health pilot.",
        pfa_name="North Yorkshire",
    ),
    SeedOrganisation(
        name="Police Community Trust",
        sector="vcs_charity",
        source="seeds 001 A.1",
        description=(
            "Holds and awards the Commissioner's Community Action Fund through its Board of Trustees, and "
            "holds various other funds."
        ),
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="MIND",
        sector="vcs_charity",
        source="seeds 001 A.1",
        description="Attended the PCC's Mental Health Concordat event in Avon and Somerset in April 2014.",
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="Specialist Treatment Organisation for the Prevention of Sexual Offending (StopSO)",
        sector="vcs_charity",
        source="seeds 001 A.3",
        description=(
            "Awarded £9,600 from the Gwent Partnership Fund, partly for 60 hours of subsidised "
            "psychotherapy for sex offenders and their families."
        ),
        pfa_name="Gwent",
    ),
    SeedOrganisation(
        name="Victory Outreach UK",
        sector="vcs_charity",
        source="seeds 001 A.3",
        description=(
            "Awarded £8,400 from the Gwent Partnership Fund for skills and fitness sessions helping people "
            "recover from addiction, crime and prison."
        ),
        pfa_name="Gwent",
    ),
    SeedOrganisation(
        name="Voice Hub",
        sector="vcs_community_group",
        source="seeds 001 A.3",
        description=(
            "Volunteer-run community space in Newport for people recovering from drug and alcohol issues; "
            "awarded £4,835 from the Gwent Partnership Fund."
        ),
        pfa_name="Gwent",
    ),
    SeedOrganisation(
        name="Tillery Combat Mixed Martial Arts Academy",
        sector="vcs_community_group",
        source="seeds 001 A.3",
        description=(
            "Gym in Blaina awarded £5,000 from the Gwent Partnership Fund for equipment and competition "
            "travel for those who cannot afford it."
        ),
        pfa_name="Gwent",
    ),
    # --- business
    SeedOrganisation(
        name="G4S Policing Support Services",
        sector="business",
        source="seeds 004 Acknowledgements",
        description=(
            "Supported the CoPaCC 'PCCs and Partnership' Thematic; supplies UK police forces with "
            "operational and organisational support services."
        ),
    ),
    SeedOrganisation(
        name="Confederation of British Industry (CBI)",
        sector="business",
        source="seeds 000 B.3",
        description=(
            "Business body arguing that partner firms can help forces, and that a PCC's remit should "
            "extend to all external providers of police services."
        ),
    ),
    SeedOrganisation(
        name="IBM",
        sector="business",
        source="seeds 001 A.1",
        description="Private partner in the Southwest One joint venture.",
        pfa_name="Avon and Somerset",
    ),
    SeedOrganisation(
        name="Devon and Cornwall Business Council",
        sector="business",
        source="seeds 001 A.2",
        description="Working with the OPCC to understand business needs, building on the victim care work.",
        pfa_name="Devon and Cornwall",
    ),
    # --- academia
    SeedOrganisation(
        name="University of the West of England (UWE)",
        sector="academia",
        source="seeds 001 A.1",
        description=(
            "Won College of Policing and Home Office funding with Avon and Somerset Constabulary in 2014 "
            "to strengthen police-academic collaboration."
        ),
        pfa_name="Avon and Somerset",
    ),
    # --- national bodies
    SeedOrganisation(
        name="CoPaCC",
        sector="national_body",
        source="seeds 004 About the Authors",
        description="Independent organisation set up in early 2013 to monitor policing governance.",
    ),
    SeedOrganisation(
        name="Police Federation of England and Wales",
        sector="national_body",
        source="seeds 000 B.5",
        description=(
            "Holds that police custody is not the right place of care for people with mental illness and "
            "warns against selling off core police services."
        ),
    ),
    SeedOrganisation(
        name="Association of Police and Crime Commissioners",
        sector="national_body",
        source="seeds 000 B.1; 001 A.1",
        description=(
            "Sits on the Government's National Group on sexual violence against children and vulnerable "
            "people."
        ),
    ),
    SeedOrganisation(
        name="College of Policing",
        sector="national_body",
        source="seeds 000 B.1, B.5; 001 A.1",
        description=(
            "Runs the National Mental Health Forum and co-funded police-academic collaboration in 2014."
        ),
    ),
    SeedOrganisation(
        name="Police Foundation",
        sector="national_body",
        source="seeds 001 A.9; 002 para 16",
        description=(
            "Published an independent review of the Warwickshire/West Mercia Strategic Alliance (November "
            "2014) and reviewed neighbourhood policing literature for Thames Valley Police."
        ),
        website="http://www.police-foundation.org.uk",
    ),
    SeedOrganisation(
        name="Local Government Association",
        sector="national_body",
        source="seeds 000 B.7; 002 para 1",
        description=(
            "Published a guide for PCCs on Community Safety Partnerships and a councillor handbook."
        ),
        website="http://www.local.gov.uk",
    ),
    # --- youth justice
    SeedOrganisation(
        name="Youth Justice Board",
        sector="youth_justice",
        source="seeds 001 A.6",
        description=(
            "Credited with independent performance analysis that helped Youth Offending Services succeed."
        ),
    ),
    # --- boards and partnerships
    SeedOrganisation(
        name="Gwent Strategic Commissioning Board",
        sector="partnership_body",
        source="seeds 001 A.3; 004 s.3",
        description=(
            "Set up by the Gwent PCC to give strategic direction to his commissioning programme; chaired "
            "by the Deputy PCC."
        ),
        pfa_name="Gwent",
        members=(
            "Office of the Police and Crime Commissioner for Gwent",
            "Local Authorities",
            "Gwent Police",
            "South Wales Fire & Rescue Service",
            "Wales Probation Trust",
            "Aneurin Bevan Health Board",
            "Gwent Registered Social Landlords",
            "The Gwent Voluntary Sector",
        ),
    ),
    SeedOrganisation(
        name="Safer Gwent",
        sector="partnership_body",
        source="seeds 001 A.3",
        description=(
            "Strategic community safety partnership arrangement across the five Gwent local authority "
            "areas, made up of statutory partners, due to be fully operational by 2015."
        ),
        pfa_name="Gwent",
        members=("Gwent Police",),
    ),
    SeedOrganisation(
        name="Warwickshire and West Mercia Strategic Alliance",
        sector="partnership_body",
        source="seeds 001 A.8, A.9; 004 s.2",
        description=(
            "First strategic alliance between police forces in England and Wales, with a single operating "
            "model across four directorates while each force keeps its own PCC and chief officers."
        ),
        pfa_name="West Mercia",
        members=("West Mercia Police", "Warwickshire Police", "West Mercia OPCC", "Warwickshire OPCC"),
    ),
    SeedOrganisation(
        name="Safer Warwickshire Partnership Board",
        sector="partnership_body",
        source="seeds 001 A.8",
        description=(
            "Approved the aligned Police and Crime Plan and Community Safety Agreement in June 2014 and "
            "hosted its public launch."
        ),
        pfa_name="Warwickshire",
        members=("Warwickshire OPCC", "Warwickshire County Council"),
    ),
    SeedOrganisation(
        name="Together York",
        sector="partnership_body",
        source="seeds 001 A.5; 004 s.2",
        description=(
            "Pilot to identify and support the most mentally vulnerable service users in York and reduce "
            "demand on the services taking part."
        ),
        pfa_name="North Yorkshire",
        members=(
            "North Yorkshire Police",
            "North Yorkshire OPCC",
            "Together: for Mental Wellbeing",
            "Vale of York Clinical Commissioning Group",
            "Leeds and York Partnership NHS Foundation Trust",
        ),
    ),
    SeedOrganisation(
        name="City Safety Strategic Group (York)",
        sector="partnership_body",
        source="seeds 001 A.5",
        description=(
            "Multi-agency group driving the seven recommendations of the York River Safety Programme."
        ),
        pfa_name="North Yorkshire",
        members=("City of York Council", "North Yorkshire Police", "North Yorkshire OPCC"),
    ),
    SeedOrganisation(
        name="Yorkshire and the Humber Regional Fleet Board",
        sector="partnership_body",
        source="seeds 001 A.5",
        description="Oversees joint transport and fleet initiatives across the region's forces since 2010.",
        pfa_name="North Yorkshire",
        members=(
            "West Yorkshire Police",
            "South Yorkshire Police",
            "North Yorkshire Police",
            "Humberside Police",
        ),
    ),
    SeedOrganisation(
        name="Southwest One",
        sector="partnership_body",
        source="seeds 001 A.1",
        description=(
            "Public-private joint venture delivering corporate services (call centres, HR, finance, ICT, "
            "procurement) over a 10 year period."
        ),
        pfa_name="Avon and Somerset",
        members=(
            "Avon and Somerset Police",
            "Somerset County Council",
            "Taunton Deane Borough Council",
            "IBM",
        ),
    ),
    SeedOrganisation(
        name="Avon and Somerset Victims Programme Board",
        sector="partnership_body",
        source="seeds 001 A.1",
        description=(
            "PCC-led board that oversaw the set-up of the 'Lighthouse' integrated victim and witness service."
        ),
        pfa_name="Avon and Somerset",
        members=("Avon and Somerset OPCC", "Victim Support"),
    ),
    SeedOrganisation(
        name="SARC Strategic Commissioning Board (Avon and Somerset)",
        sector="partnership_body",
        source="seeds 001 A.1",
        description=(
            "Oversees 'The Bridge' Sexual Assault Referral Centre, co-funded by the PCC and NHS England."
        ),
        pfa_name="Avon and Somerset",
        members=(
            "NHS England",
            "Avon and Somerset Constabulary",
            "Public Health",
            "Avon and Somerset OPCC",
        ),
    ),
    SeedOrganisation(
        name="Avon and Somerset Violence against Women and Children Strategy Group",
        sector="partnership_body",
        source="seeds 001 A.1",
        description=(
            "Force-wide VAWC group chaired by the Constabulary's Head of Crime, focused on domestic and "
            "sexual abuse."
        ),
        pfa_name="Avon and Somerset",
        members=("Avon and Somerset OPCC", "Local Authority", "Health", "CPS", "Probation"),
    ),
    SeedOrganisation(
        name="Avon and Somerset Criminal Justice Board",
        sector="partnership_body",
        source="seeds 001 A.1",
        description=(
            "Local criminal justice board of which the PCC is a member, with joint priorities and an "
            "action plan."
        ),
        pfa_name="Avon and Somerset",
        members=("Avon and Somerset OPCC",),
    ),
    SeedOrganisation(
        name="Surrey, Sussex and Thames Valley victims' referral consortium",
        sector="partnership_body",
        source="seeds 001 A.7; 004 s.3",
        description=(
            "Three OPCCs that jointly specified and procured victim referral and assessment services and "
            "opened the contract as a framework for other PCCs."
        ),
        pfa_name="Surrey",
        members=("Surrey OPCC", "Sussex OPCC", "Thames Valley OPCC"),
    ),
    SeedOrganisation(
        name="The Shenstone Group",
        sector="partnership_body",
        source="seeds 000 B.8; 004 s.2",
        description=(
            "Informal, non-executive forum of about 50 strategic leaders from all sectors in "
            "Worcestershire, meeting quarterly since 2009."
        ),
        pfa_name="West Mercia",
        members=("West Mercia Police", "West Mercia OPCC", "Bosch", "Malvern Instruments"),
    ),
    SeedOrganisation(
        name="West Yorkshire Third Sector Advisory Group",
        sector="partnership_body",
        source="seeds 000 B.9",
        description=(
            "Advisory group funded by the West Yorkshire PCC and supported by Voluntary Action Leeds, "
            "reflecting third sector interests across West Yorkshire."
        ),
        pfa_name="West Yorkshire",
        members=("Voluntary Action Leeds", "West Yorkshire OPCC"),
    ),
    SeedOrganisation(
        name="Safer Future Communities network",
        sector="partnership_body",
        source="seeds 000 B.9",
        description=(
            "Network of third sector organisations across West Yorkshire set up by Voluntary Action Leeds "
            "and launched in June 2012."
        ),
        pfa_name="West Yorkshire",
        members=("Voluntary Action Leeds",),
    ),
    SeedOrganisation(
        name="Safer and Stronger Bucks Partnership Board",
        sector="partnership_body",
        source="seeds 002 para 9",
        description=(
            "Buckinghamshire partnership board to which the Thames Valley Panel Chairman has been invited."
        ),
        pfa_name="Thames Valley",
    ),
    SeedOrganisation(
        name="Safer Oxfordshire Partnership Oversight Committee",
        sector="partnership_body",
        source="seeds 002 para 9",
        description="Member-led committee meeting twice a year; the Panel's Vice-Chairman is a member.",
        pfa_name="Thames Valley",
    ),
    SeedOrganisation(
        name="Thames Valley Police & Crime Panel",
        sector="partnership_body",
        source="seeds 002",
        description=(
            "Scrutinises the Thames Valley PCC; considered how to engage more formally with CSPs in June "
            "2016."
        ),
        pfa_name="Thames Valley",
    ),
)
